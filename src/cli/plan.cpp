// `cellar plan`: how big a machine a model needs, how fast it will answer and
// whether owning it beats a cloud API. See docs/planning.md.
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "plan/calibration.h"
#include "plan/catalog.h"
#include "plan/cost_chart.h"
#include "plan/data_dir.h"
#include "plan/gguf_model.h"
#include "plan/plan_report.h"
#include "plan/planner.h"

namespace cellar::cli {
namespace {

struct Options {
  std::string model;
  std::string quant = "Q4_K_M";
  std::vector<std::string> catalogs;
  std::string list;
  bool json = false;
  std::string chart;
  bool calibrate = false;
  std::string bench_json;
  std::string this_machine;
  std::string kv_type = "F16";
  double tokens_per_day = -1;
  plan::PlanOptions plan;
};

void add_options(CLI::App* sub, Options& o) {
  auto& p = o.plan;
  sub->add_option("--model,-m", o.model, "Catalogue model name (see --list models) or a .gguf file");
  sub->add_option("--quant,-q", o.quant, "llama.cpp file type for catalogue models")
      ->capture_default_str();
  sub->add_option("--ctx", p.ctx, "Context per user, tokens")->capture_default_str();
  sub->add_option("--users", p.users, "Concurrent users")->capture_default_str();
  sub->add_option("--tokens-per-day", o.tokens_per_day,
                  "Tokens per day, prompt + output (default: users x requests x tokens)");
  sub->add_option("--requests-per-user", p.requests_per_user_per_day, "Requests per user per day")
      ->capture_default_str();
  sub->add_option("--prompt-tokens", p.prompt_tokens, "Typical prompt length")->capture_default_str();
  sub->add_option("--output-tokens", p.output_tokens, "Typical answer length")->capture_default_str();
  sub->add_option("--kwh-price", p.kwh_price, "Electricity, USD per kWh")->capture_default_str();
  sub->add_option("--pue", p.pue, "Power usage effectiveness (cooling, losses)")->capture_default_str();
  sub->add_option("--years", p.years, "Amortisation period")->capture_default_str();
  sub->add_option("--maintenance", p.maintenance_pct, "Maintenance, % of price per year")
      ->capture_default_str();
  sub->add_option("--busy-hours", p.busy_hours, "Hours per day the load arrives in")
      ->capture_default_str();
  sub->add_option("--hardware", p.hardware, "Only these catalogue entries (repeatable)");
  sub->add_option("--cloud", p.cloud, "Cloud price entry to compare with (see --list cloud)");
  sub->add_option("--kv-type", o.kv_type, "KV cache element type (F16, Q8_0, F32)")
      ->capture_default_str();
  sub->add_option("--max-units", p.max_units, "Most units of one kind to consider")
      ->capture_default_str();
  sub->add_option("--min-tokens-per-s", p.min_tokens_per_s,
                  "Per-user decode speed under full load to count as usable")
      ->capture_default_str();
  sub->add_option("--catalog", o.catalogs, "Extra catalogue YAML adding or overriding entries");
  sub->add_option("--list", o.list, "List catalogue entries: hardware, models or cloud")
      ->check(CLI::IsMember({"hardware", "models", "cloud"}));
  sub->add_flag("--json", o.json, "Print JSON (schema in docs/planning.md)");
  sub->add_option("--chart", o.chart, "Write an SVG of monthly cost versus token volume");
  sub->add_flag("--calibrate", o.calibrate,
                "Run `cellar bench` on the model file here and use the measured efficiency");
  sub->add_option("--bench-json", o.bench_json, "Calibrate from a saved `cellar bench --json` output");
  sub->add_option("--this-machine", o.this_machine,
                  "Catalogue entry describing this machine, for --calibrate");
}

int list_catalog(const plan::Catalog& c, const std::string& what) {
  if (what == "hardware") {
    for (const auto& h : c.hardware) {
      std::printf("%-22s %-58s %6.0f GB %7.1f GB/s %8.1f TFLOPS %5.0f W $%.0f\n", h.name.c_str(),
                  h.title.c_str(), h.memory_gb, h.bandwidth_gb_per_s, h.fp16_tflops, h.power_w,
                  h.price_usd);
    }
  } else if (what == "models") {
    for (const auto& m : c.models) {
      std::printf("%-16s %-28s layers %3d hidden %5d heads %3d/%-2d ctx %6d\n", m.name.c_str(),
                  m.title.c_str(), m.n_layer, m.n_embd, m.n_head, m.n_head_kv, m.n_ctx_train);
    }
  } else {
    for (const auto& p : c.cloud) {
      std::printf("%-28s $%6.3f in  $%6.3f out per M tokens  (%s, %s)\n", p.name.c_str(),
                  p.input_per_million, p.output_per_million, p.source.c_str(), p.date.c_str());
    }
  }
  return 0;
}

bool is_gguf_path(const std::string& s) {
  return s.size() > 5 && s.compare(s.size() - 5, 5, ".gguf") == 0;
}

int run(Options& o) {
  auto catalog = plan::load_catalog(plan::find_data_dir(), o.catalogs);
  if (!o.list.empty()) return list_catalog(catalog, o.list);
  if (o.model.empty()) throw std::invalid_argument("--model is required (a catalogue name or a .gguf file)");
  if (o.tokens_per_day != -1) o.plan.tokens_per_day = o.tokens_per_day;
  auto kv = ggml_type_from_name(o.kv_type);
  if (!kv || (*kv != GgmlType::F16 && *kv != GgmlType::F32 && *kv != GgmlType::Q8_0 &&
              *kv != GgmlType::BF16 && *kv != GgmlType::Q4_0)) {
    throw std::invalid_argument("--kv-type must be F16, BF16, F32, Q8_0 or Q4_0, got '" + o.kv_type + "'");
  }
  o.plan.kv_type = *kv;

  const bool gguf = is_gguf_path(o.model);
  plan::ModelInput model = gguf ? plan::model_from_gguf(o.model, catalog)
                                : plan::model_from_catalog(catalog, o.model, o.quant);
  if (o.calibrate || !o.bench_json.empty()) {
    plan::apply_calibration(catalog, model, o.model, o.bench_json, o.this_machine, o.plan);
  }
  auto result = plan::make_plan(catalog, model, o.plan);
  if (!o.chart.empty()) {
    std::ofstream f(o.chart);
    if (!f) throw std::runtime_error("cannot write chart to " + o.chart);
    f << plan::cost_chart_svg(result);
    if (!f) throw std::runtime_error("failed writing chart to " + o.chart);
  }
  if (o.json) {
    std::cout << plan::plan_to_json(result).dump(2) << "\n";
  } else {
    for (const auto& w : result.warnings) std::cerr << "cellar plan: warning: " << w << "\n";
    std::cout << plan::plan_to_text(result);
    if (!o.chart.empty()) std::cout << "Chart written to " << o.chart << "\n";
  }
  return 0;
}

CommandRegistration reg_plan("plan", [](CLI::App& app) {
  auto* sub = app.add_subcommand(
      "plan", "Size the hardware for a model and compare owning it with a cloud API");
  auto opts = std::make_shared<Options>();
  add_options(sub, *opts);
  return [opts]() -> int { return run(*opts); };
});

}  // namespace
}  // namespace cellar::cli
