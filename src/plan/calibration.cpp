#include "plan/calibration.h"

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace cellar::plan {
namespace {

double positive_field(const nlohmann::json& j, const char* key, bool required) {
  if (!j.contains(key) || j[key].is_null()) {
    if (required) throw std::invalid_argument(std::string("bench JSON lacks '") + key + "'");
    return 0;
  }
  if (!j[key].is_number() || j[key].get<double>() <= 0) {
    throw std::invalid_argument(std::string("bench JSON field '") + key + "' must be a positive number");
  }
  return j[key].get<double>();
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string fmt_pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g%%", v * 100);
  return buf;
}

}  // namespace

BenchResult parse_bench_json(const std::string& text) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(std::string("bench output is not JSON: ") + e.what());
  }
  if (!j.is_object()) throw std::invalid_argument("bench output is not a JSON object");
  BenchResult b;
  b.prefill_tokens_per_s = positive_field(j, "prefill_tokens_per_s", true);
  b.decode_tokens_per_s = positive_field(j, "decode_tokens_per_s", true);
  b.model_bytes = positive_field(j, "model_bytes", false);
  b.decode_bandwidth_gb_per_s = positive_field(j, "decode_bandwidth_gb_per_s", false);
  if (b.decode_bandwidth_gb_per_s == 0) {
    if (b.model_bytes == 0) {
      throw std::invalid_argument("bench JSON needs decode_bandwidth_gb_per_s or model_bytes");
    }
    b.decode_bandwidth_gb_per_s = b.decode_tokens_per_s * b.model_bytes / 1e9;
  }
  return b;
}

std::string run_bench(const std::string& model_path) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("--calibrate: cannot locate the cellar executable");
  const std::string cmd =
      shell_quote(exe.string()) + " bench -m " + shell_quote(model_path) + " --json --read-probe-mib 0";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) throw std::runtime_error("--calibrate: cannot start `cellar bench`");
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = ::pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(
        "--calibrate: `cellar bench -m " + model_path + " --json` failed (exit " +
        std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
        "); this build may not have the bench subcommand yet. Run it yourself and pass "
        "--bench-json FILE, or plan without --calibrate");
  }
  return out;
}

void calibrate_from_bench(const BenchResult& bench, const HardwareSpec& machine,
                          int64_t parameters, PlanOptions& opts) {
  const double decode = bench.decode_bandwidth_gb_per_s / machine.bandwidth_gb_per_s;
  const double prefill =
      bench.prefill_tokens_per_s * 2.0 * static_cast<double>(parameters) / (machine.fp16_tflops * 1e12);
  opts.decode_efficiency = std::clamp(decode, 1e-4, 1.0);
  opts.prefill_efficiency = std::clamp(prefill, 1e-4, 1.0);
  opts.efficiency_measured = true;
  std::ostringstream note;
  note << "calibrated on this machine (" << machine.name << "): decode "
       << bench.decode_bandwidth_gb_per_s << " GB/s of " << machine.bandwidth_gb_per_s
       << " GB/s peak = " << fmt_pct(opts.decode_efficiency) << "; prefill "
       << bench.prefill_tokens_per_s << " tok/s = " << fmt_pct(opts.prefill_efficiency)
       << " of peak FP16";
  if (decode > 1.0 || prefill > 1.0) {
    note << " (a measurement above the catalogue peak was capped at 100%: check the '"
         << machine.name << "' entry)";
  }
  opts.efficiency_note = note.str();
}

void apply_calibration(const Catalog& catalog, const ModelInput& model, const std::string& model_arg,
                       const std::string& bench_json_path, const std::string& this_machine,
                       PlanOptions& opts) {
  std::string name = this_machine;
  if (name.empty() && !opts.hardware.empty()) name = opts.hardware.front();
  if (name.empty()) {
    throw std::invalid_argument(
        "--calibrate needs --this-machine NAME: the catalogue entry describing this computer "
        "(see --list hardware; add your own with --catalog)");
  }
  const auto& machine = catalog.hardware_named(name);
  std::string text;
  if (!bench_json_path.empty()) {
    std::ifstream f(bench_json_path);
    if (!f) throw std::invalid_argument("cannot read --bench-json file " + bench_json_path);
    std::ostringstream ss;
    ss << f.rdbuf();
    text = ss.str();
  } else {
    if (model.origin == "catalogue") {
      throw std::invalid_argument("--calibrate runs the model, so --model must be a .gguf file, not '" +
                                  model_arg + "'");
    }
    text = run_bench(model_arg);
  }
  calibrate_from_bench(parse_bench_json(text), machine, model.parameters, opts);
}

}  // namespace cellar::plan
