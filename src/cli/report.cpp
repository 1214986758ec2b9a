// `cellar report health`: the probe CSV as a per-day table and an SVG chart.
// `cellar report latency --deployment NAME`: TTFT and decode speed per model
// version from the timings a registry-backed `cellar serve` records.
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/registry_cli.h"
#include "ops/atomic_file.h"
#include "ops/health_chart.h"
#include "ops/health_csv.h"
#include "ops/health_report.h"
#include "registry/names.h"
#include "registry/request_timings.h"
#include "registry/timestamps.h"

namespace cellar::cli {
namespace {

struct ReportOptions {
  std::string csv;
  std::string chart;
  std::string title = "Cellar health";
};

struct LatencyOptions {
  RegistryOptions reg;
  std::string deployment;
  std::optional<std::string> since;
  bool json = false;
};

int run_latency_report(const LatencyOptions& o) {
  registry::require_valid_name("deployment", o.deployment);
  auto catalog = open_catalog(o.reg);
  std::optional<std::string> since;
  if (o.since) since = registry::parse_since(*o.since, std::chrono::system_clock::now());
  auto rows = registry::summarize_latency(registry::TimingStore(*catalog).list(o.deployment, since));
  if (o.json) {
    nlohmann::json out = {{"deployment", o.deployment}, {"versions", nlohmann::json::array()}};
    for (const auto& s : rows) out["versions"].push_back(s.to_json());
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (rows.empty()) {
    std::printf("no requests recorded for deployment '%s'%s (a `cellar serve` using this registry records them)\n",
                o.deployment.c_str(), o.since ? " in that period" : "");
    return 0;
  }
  std::printf("%-28s %8s %6s %10s %10s %10s %10s %10s  %s\n", "MODEL VERSION", "REQUESTS", "ERRORS", "TTFT p50",
              "TTFT p95", "TTFT p99", "TOK/S p50", "TOK/S p5", "SERVED");
  for (const auto& s : rows) {
    std::printf("%-28s %8lld %6lld %9.0fms %9.0fms %9.0fms %10.1f %10.1f  %s .. %s\n", s.model_version.c_str(),
                static_cast<long long>(s.requests), static_cast<long long>(s.errors), s.ttft_p50 * 1e3,
                s.ttft_p95 * 1e3, s.ttft_p99 * 1e3, s.tokens_per_second_p50, s.tokens_per_second_p5,
                s.first_at.c_str(), s.last_at.c_str());
  }
  return 0;
}

int run_health_report(const ReportOptions& o) {
  auto rows = ops::read_health_csv(o.csv);
  auto days = ops::daily_health(rows);
  if (days.empty()) {
    std::cerr << "cellar: error: " << o.csv << " has no dated rows yet (run `cellar probe --csv " << o.csv
              << "` first)\n";
    return 1;
  }
  std::fputs(ops::format_health_table(days).c_str(), stdout);
  if (!o.chart.empty()) {
    ops::write_file_atomic(o.chart, ops::health_chart_svg(days, o.title));
    std::printf("chart written to %s\n", o.chart.c_str());
  }
  return 0;
}

CommandRegistration reg_report("report", [](CLI::App& app) {
  auto* sub = app.add_subcommand("report", "Reports from recorded history");
  sub->require_subcommand(1);
  auto* health = sub->add_subcommand("health", "Per-day pass rate and latency percentiles from a probe CSV");
  auto o = std::make_shared<ReportOptions>();
  health->add_option("--csv", o->csv, "Health CSV written by `cellar probe --csv`")->required();
  health->add_option("--chart", o->chart, "Also draw latency and pass rate over time as SVG");
  health->add_option("--title", o->title, "Chart title")->capture_default_str();
  auto* latency = sub->add_subcommand("latency", "TTFT and tokens/s percentiles per model version of a deployment");
  auto lo = std::make_shared<LatencyOptions>();
  latency->add_option("--deployment", lo->deployment, "Deployment name")->required();
  latency->add_option("--since", lo->since, "From this UTC time (2026-11-26T08:00) or this long ago (30m, 6h, 7d)");
  latency->add_flag("--json", lo->json, "JSON output");
  latency->add_option("--home", lo->reg.home, "Registry (default: CELLAR_HOME, ~/.cellar)");
  return [o, health, lo, latency]() -> int {
    if (health->parsed()) return run_health_report(*o);
    if (latency->parsed()) return run_latency_report(*lo);
    return 1;
  };
});

}  // namespace
}  // namespace cellar::cli
