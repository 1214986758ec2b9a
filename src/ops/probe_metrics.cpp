#include "ops/probe_metrics.h"

#include <chrono>

namespace cellar::ops {
namespace {

double unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace

ProbeMetrics::ProbeMetrics()
    : passed_("cellar_probe_passed", "1 when the golden question passed on the latest probe run, else 0.",
              {"suite", "question"}),
      drift_("cellar_probe_drift_score",
             "Similarity (0..1) of the latest answer to the recorded baseline answer.", {"suite", "question"}),
      latency_("cellar_probe_latency_seconds", "End-to-end latency of the latest probe answer.",
               {"suite", "question"}),
      last_success_("cellar_probe_last_success_timestamp_seconds",
                    "Unix time of the latest probe run in which every question passed.", {"suite"}),
      last_run_("cellar_probe_last_run_timestamp_seconds", "Unix time of the latest probe run.", {"suite"}) {}

void ProbeMetrics::update(const ProbeRun& run) {
  auto now = std::chrono::system_clock::now();
  for (const auto& r : run.results) {
    passed_.set({run.suite, r.question_id}, r.passed ? 1 : 0);
    latency_.set({run.suite, r.question_id}, r.answer.latency_ms / 1000.0);
    if (r.drift_score) drift_.set({run.suite, r.question_id}, *r.drift_score);
    else drift_.erase({run.suite, r.question_id});
  }
  last_run_.set({run.suite}, unix_seconds(now));
  if (run.all_passed()) last_success_.set({run.suite}, unix_seconds(now));
}

void ProbeMetrics::render(PrometheusText& out) const {
  passed_.render(out);
  drift_.render(out);
  latency_.render(out);
  last_success_.render(out);
  last_run_.render(out);
}

std::string ProbeMetrics::render() const {
  PrometheusText out;
  render(out);
  return out.str();
}

}  // namespace cellar::ops
