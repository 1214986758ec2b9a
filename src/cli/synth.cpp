// `cellar synth`: write a random-weight model of a real shape.
#include <chrono>
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/command.h"
#include "model/synth.h"

namespace cellar::cli {
namespace {

struct SynthArgs {
  std::string arch, shape, type = "Q8_0", out;
  uint64_t seed = 1;
  int threads = 0;
};

std::string joined(const std::vector<std::string_view>& v) {
  std::string s;
  for (auto x : v) s += (s.empty() ? "" : ", ") + std::string(x);
  return s;
}

int run_synth(const SynthArgs& a) {
  auto shape = find_shape(a.shape);
  if (!shape) throw UsageError("unknown shape '" + a.shape + "' (known: " + joined(shape_names()) + ")");
  if (!a.arch.empty() && a.arch != shape->arch) {
    throw UsageError("shape '" + a.shape + "' is a " + std::string(shape->arch) + " model, not " + a.arch);
  }
  auto ft = find_file_type(a.type);
  if (!ft) throw UsageError("unknown type '" + a.type + "' (known: " + joined(file_type_names()) + ")");
  auto t0 = std::chrono::steady_clock::now();
  write_synth_model({*shape, *ft, a.seed, resolve_threads(a.threads)}, a.out);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "wrote %s (%s, %s, random weights) in %.1f s\n", a.out.c_str(), a.shape.c_str(),
               std::string(ft->name).c_str(), s);
  return 0;
}

CommandRegistration reg_synth("synth", [](CLI::App& app) {
  auto* sub = app.add_subcommand("synth", "Write a random-weight GGUF model of a real shape (tests, benchmarks)");
  auto a = std::make_shared<SynthArgs>();
  sub->add_option("--arch", a->arch, "Architecture the shape must have: llama or qwen2");
  sub->add_option("--shape", a->shape, "tiny, tinyllama-1.1b, llama-3-8b, qwen2.5-0.5b, ...")->required();
  sub->add_option("--type", a->type, "File type: F32, F16, BF16, Q8_0, Q4_0, Q4_K_M, ... (default Q8_0)");
  sub->add_option("-o,--output", a->out, "Output GGUF file")->required();
  sub->add_option("--seed", a->seed, "Random seed (default 1)");
  sub->add_option("-t,--threads", a->threads, "Threads (default: physical cores)");
  return [a]() { return run_synth(*a); };
});

}  // namespace
}  // namespace cellar::cli
