// `cellar report health`: the probe CSV as a per-day table and an SVG chart.
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "ops/atomic_file.h"
#include "ops/health_chart.h"
#include "ops/health_csv.h"
#include "ops/health_report.h"

namespace cellar::cli {
namespace {

struct ReportOptions {
  std::string csv;
  std::string chart;
  std::string title = "Cellar health";
};

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

CommandRegistration reg("report", [](CLI::App& app) {
  auto* sub = app.add_subcommand("report", "Reports from recorded history");
  sub->require_subcommand(1);
  auto* health = sub->add_subcommand("health", "Per-day pass rate and latency percentiles from a probe CSV");
  auto o = std::make_shared<ReportOptions>();
  health->add_option("--csv", o->csv, "Health CSV written by `cellar probe --csv`")->required();
  health->add_option("--chart", o->chart, "Also draw latency and pass rate over time as SVG");
  health->add_option("--title", o->title, "Chart title")->capture_default_str();
  return [o, health]() -> int {
    if (health->parsed()) return run_health_report(*o);
    return 1;
  };
});

}  // namespace
}  // namespace cellar::cli
