#pragma once
// The "three failures in a row" rule. Probes often run from cron, one process
// per run, so the count lives in a small JSON file between runs.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace cellar::ops {

struct AlertState {
  int consecutive_failures = 0;
  bool alerted = false;       // an alert went out for the current failure streak
  std::string failing_since;  // time of the first failure in the streak
  std::string last_run;
  std::string last_success;
};

enum class AlertAction { kNone, kAlert, kRecovered };

// Folds one run's outcome into the state and says what to send: one alert when
// the streak reaches `alert_after`, nothing while it keeps failing, one
// recovery when a run passes after an alert.
AlertAction advance_alert_state(AlertState& state, bool run_passed, int alert_after, const std::string& now);

// All suites' states in one file, keyed by suite name.
class AlertStateFile {
 public:
  // Empty when the file does not exist; throws std::runtime_error naming the
  // file when it is not a state file.
  static AlertStateFile load(const std::filesystem::path& file);
  void save(const std::filesystem::path& file) const;  // atomic: temp file + rename

  AlertState get(const std::string& suite) const;
  void set(const std::string& suite, const AlertState& state);

 private:
  nlohmann::json doc_ = {{"format", 1}, {"suites", nlohmann::json::object()}};
};

}  // namespace cellar::ops
