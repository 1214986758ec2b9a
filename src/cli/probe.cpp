// `cellar probe`: ask a golden suite once, record, compare, alert. Made for
// cron and CI: exit 0 when every question passed, 1 when any failed, 2 when the
// suite or the options cannot be used.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "ops/atomic_file.h"
#include "ops/golden_suite.h"
#include "ops/http_target.h"
#include "ops/probe_job.h"
#include "ops/probe_metrics.h"

namespace cellar::cli {
namespace {

constexpr int kExitFailed = 1;
constexpr int kExitConfig = 2;

struct ProbeOptions {
  std::string suite;
  std::string url;
  std::string key;
  std::string csv;
  std::string baseline;
  bool record_baseline = false;
  double drift_threshold = 0.8;
  std::string alert_webhook;
  int alert_after = 3;
  std::string alert_format = "auto";
  std::string state;
  std::string metrics_out;
  double timeout_s = 120;
};

std::string cell_ms(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", *v);
  return buf;
}

void print_summary(const ops::ProbeJobReport& rep, const std::string& url) {
  const auto& run = rep.run;
  std::string model_version = run.results.empty() ? "" : run.results.front().model_version;
  std::string template_version = run.results.empty() ? "" : run.results.front().template_version;
  std::printf("suite %s @ %s  model version %s, template version %s\n", run.suite.c_str(), url.c_str(),
              model_version.empty() ? "-" : model_version.c_str(),
              template_version.empty() ? "-" : template_version.c_str());
  std::printf("%-20s %-5s %10s %9s %7s %6s  %s\n", "question", "pass", "latency ms", "ttft ms", "tokens", "drift",
              "reason");
  size_t passed = 0;
  for (const auto& r : run.results) {
    if (r.passed) ++passed;
    std::string drift = r.drift_score ? cell_ms(*r.drift_score * 100) + "%" : "-";
    std::printf("%-20s %-5s %10s %9s %7ld %6s  %s\n", r.question_id.c_str(), r.passed ? "PASS" : "FAIL",
                cell_ms(r.answer.latency_ms).c_str(), cell_ms(r.answer.ttft_ms).c_str(), r.answer.tokens,
                drift.c_str(), r.reason.c_str());
  }
  std::printf("%zu/%zu passed\n", passed, run.results.size());
  if (rep.baseline_recorded) std::printf("baseline: recorded %zu answers\n", rep.baseline_recorded);
  if (rep.drift && rep.drift->without_baseline)
    std::printf("baseline: %zu questions have no baseline for this model version (use --record-baseline)\n",
                rep.drift->without_baseline);
}

void report_alerting(const ops::ProbeJobReport& rep, const ProbeOptions& o) {
  if (!o.state.empty() && rep.alert_state.consecutive_failures > 0)
    std::fprintf(stderr, "cellar probe: %d consecutive failed run(s) (alert after %d)\n",
                 rep.alert_state.consecutive_failures, o.alert_after);
  if (rep.delivery && rep.delivery->delivered)
    std::fprintf(stderr, "cellar probe: %s sent to webhook\n",
                 rep.alert_action == ops::AlertAction::kAlert ? "alert" : "recovery message");
  for (const auto& p : rep.problems) std::fprintf(stderr, "cellar probe: warning: %s\n", p.c_str());
}

ops::ProbeJobOptions job_options(const ProbeOptions& o) {
  ops::ProbeJobOptions j;
  j.url = o.url;
  j.client.api_key = o.key;
  if (j.client.api_key.empty())
    if (const char* env = std::getenv("CELLAR_API_KEY")) j.client.api_key = env;
  if (o.timeout_s <= 0) throw std::invalid_argument("--timeout must be positive");
  j.client.total_timeout = std::chrono::milliseconds(static_cast<long>(o.timeout_s * 1000));
  j.csv = o.csv;
  j.baseline = o.baseline;
  j.record_baseline = o.record_baseline;
  j.drift.threshold = o.drift_threshold;
  j.alert_webhook = o.alert_webhook;
  j.alert_after = o.alert_after;
  j.alert_format = o.alert_format;
  j.state = o.state;
  return j;
}

int run_probe(const ProbeOptions& o) {
  std::unique_ptr<ops::ProbeJob> job;
  try {
    if (o.suite.empty() || o.url.empty()) throw std::invalid_argument("--suite and --url are required");
    if (!o.alert_webhook.empty() && o.state.empty())
      throw std::invalid_argument("--alert-webhook needs --state FILE to count failed runs across runs");
    job = std::make_unique<ops::ProbeJob>(ops::load_suite(o.suite), job_options(o));
  } catch (const std::exception& e) {
    std::cerr << "cellar: error: " << e.what() << "\n";
    return kExitConfig;
  }
  ops::ProbeJobReport rep = job->run_once();
  print_summary(rep, o.url);
  report_alerting(rep, o);
  if (!o.metrics_out.empty()) {
    ops::ProbeMetrics metrics;
    metrics.update(rep.run);
    try {
      ops::write_file_atomic(o.metrics_out, metrics.render());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cellar probe: warning: metrics: %s\n", e.what());
    }
  }
  return rep.run.all_passed() ? 0 : kExitFailed;
}

CommandRegistration reg_probe("probe", [](CLI::App& app) {
  auto* sub = app.add_subcommand("probe", "Ask a golden-question suite once: CSV history, drift, alerts");
  auto o = std::make_shared<ProbeOptions>();
  sub->add_option("--suite", o->suite, "Golden suite file (YAML or JSON)");
  sub->add_option("--url", o->url, "Server base URL, e.g. http://127.0.0.1:8080");
  sub->add_option("--key", o->key, "API key (default: $CELLAR_API_KEY)");
  sub->add_option("--csv", o->csv, "Append one row per question to this CSV");
  sub->add_option("--timeout", o->timeout_s, "Seconds allowed per question")->capture_default_str();
  sub->add_option("--baseline", o->baseline, "Baseline JSON file for drift checks");
  sub->add_flag("--record-baseline", o->record_baseline, "Store this run's answers as the baseline");
  sub->add_option("--drift-threshold", o->drift_threshold, "Similarity below this is drift (0..1)")
      ->capture_default_str();
  sub->add_option("--alert-webhook", o->alert_webhook, "POST an alert here after --alert-after failed runs");
  sub->add_option("--alert-after", o->alert_after, "Consecutive failed runs before alerting")->capture_default_str();
  sub->add_option("--alert-format", o->alert_format, "auto, slack or generic")->capture_default_str();
  sub->add_option("--state", o->state, "JSON file keeping the failure streak between runs");
  sub->add_option("--metrics-out", o->metrics_out, "Write probe metrics (Prometheus text) to this file");
  return [o]() -> int { return run_probe(*o); };
});

}  // namespace
}  // namespace cellar::cli
