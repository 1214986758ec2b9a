#include "ops/probe_job.h"

#include <stdexcept>

#include "ops/health_csv.h"

namespace cellar::ops {

ProbeJob::ProbeJob(GoldenSuite suite, ProbeJobOptions options)
    : suite_(std::move(suite)), options_(std::move(options)), client_(parse_http_url(options_.url), options_.client) {
  if (options_.alert_after < 1) throw std::invalid_argument("--alert-after must be at least 1");
  if (options_.drift.threshold < 0 || options_.drift.threshold > 1)
    throw std::invalid_argument("--drift-threshold must be between 0 and 1");
  if (options_.record_baseline && options_.baseline.empty())
    throw std::invalid_argument("--record-baseline needs --baseline FILE");
  if (!options_.alert_webhook.empty()) choose_webhook_format(options_.alert_webhook, options_.alert_format);
}

ProbeJobReport ProbeJob::run_once() {
  ProbeJobReport report;
  report.run = run_suite(suite_, client_);
  check_drift(report);
  if (!options_.csv.empty()) {
    try {
      append_health_csv(options_.csv, report.run);
    } catch (const std::exception& e) {
      report.problems.push_back(std::string("health CSV: ") + e.what());
    }
  }
  update_alerts(report);
  return report;
}

void ProbeJob::check_drift(ProbeJobReport& report) {
  if (options_.baseline.empty()) return;
  try {
    BaselineStore store = BaselineStore::load(options_.baseline);
    if (options_.record_baseline) {
      report.baseline_recorded = store.record(report.run);
      store.save(options_.baseline);
    } else {
      report.drift = apply_drift(report.run, store, options_.drift);
    }
  } catch (const std::exception& e) {
    report.problems.push_back(std::string("baseline: ") + e.what());
  }
}

void ProbeJob::update_alerts(ProbeJobReport& report) {
  std::optional<AlertStateFile> file;
  AlertState state = memory_state_;
  if (!options_.state.empty()) {
    try {
      file = AlertStateFile::load(options_.state);
      state = file->get(suite_.name);
    } catch (const std::exception& e) {
      report.problems.push_back(std::string("state: ") + e.what());
      return;
    }
  }
  const std::string now = iso8601_utc(std::chrono::system_clock::now());
  AlertState before = state;
  report.alert_action = advance_alert_state(state, report.run.all_passed(), options_.alert_after, now);
  if (report.alert_action != AlertAction::kNone && !options_.alert_webhook.empty()) {
    AlertEvent event{report.alert_action, suite_.name, options_.url, now,
                     report.alert_action == AlertAction::kRecovered ? before.consecutive_failures
                                                                    : state.consecutive_failures,
                     options_.alert_after, state.failing_since.empty() ? before.failing_since : state.failing_since,
                     {}};
    for (const auto* f : report.run.failures()) event.failures.push_back({f->question_id, f->reason});
    auto format = choose_webhook_format(options_.alert_webhook, options_.alert_format);
    report.delivery = post_webhook(options_.alert_webhook, alert_body(event, format), options_.webhook);
    // An undelivered alert is tried again on the next failing run.
    if (!report.delivery->delivered) {
      if (report.alert_action == AlertAction::kAlert) state.alerted = false;
      report.problems.push_back("alert not delivered: " + report.delivery->error);
    }
  }
  report.alert_state = state;
  memory_state_ = state;
  if (file) {
    try {
      file->set(suite_.name, state);
      file->save(options_.state);
    } catch (const std::exception& e) {
      report.problems.push_back(std::string("state: ") + e.what());
    }
  }
}

}  // namespace cellar::ops
