#pragma once
// Everything one probe run does besides asking: drift against the baseline,
// recording a baseline, the CSV history, and the failure-streak alert. Used
// by `cellar probe` (one run per process, state in a file) and by the
// server's ProbeScheduler (state kept in memory or a file).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ops/alert_state.h"
#include "ops/chat_client.h"
#include "ops/drift.h"
#include "ops/golden_suite.h"
#include "ops/probe_run.h"
#include "ops/webhook.h"

namespace cellar::ops {

struct ProbeJobOptions {
  std::string url;
  ChatClientOptions client;
  std::filesystem::path csv;  // empty: no history
  std::filesystem::path baseline;  // empty: no drift check
  bool record_baseline = false;
  DriftOptions drift;
  std::string alert_webhook;  // empty: no alerts
  std::string alert_format = "auto";
  int alert_after = 3;
  std::filesystem::path state;  // empty: failure streak kept in memory
  WebhookOptions webhook;
};

struct ProbeJobReport {
  ProbeRun run;
  std::optional<DriftSummary> drift;
  size_t baseline_recorded = 0;
  AlertState alert_state;
  AlertAction alert_action = AlertAction::kNone;
  std::optional<Delivery> delivery;  // when an alert or recovery was sent
  std::vector<std::string> problems;  // e.g. webhook unreachable, CSV not writable
};

class ProbeJob {
 public:
  // Throws UrlError / std::invalid_argument for unusable options.
  ProbeJob(GoldenSuite suite, ProbeJobOptions options);

  ProbeJobReport run_once();
  const GoldenSuite& suite() const { return suite_; }

 private:
  void check_drift(ProbeJobReport& report);
  void update_alerts(ProbeJobReport& report);

  GoldenSuite suite_;
  ProbeJobOptions options_;
  ChatClient client_;
  AlertState memory_state_;
};

}  // namespace cellar::ops
