#include "ops/alert_state.h"

#include "ops/atomic_file.h"

namespace cellar::ops {

using nlohmann::json;

AlertAction advance_alert_state(AlertState& s, bool run_passed, int alert_after, const std::string& now) {
  s.last_run = now;
  if (run_passed) {
    bool was_alerted = s.alerted;
    s.consecutive_failures = 0;
    s.alerted = false;
    s.failing_since.clear();
    s.last_success = now;
    return was_alerted ? AlertAction::kRecovered : AlertAction::kNone;
  }
  if (s.consecutive_failures == 0) s.failing_since = now;
  ++s.consecutive_failures;
  if (!s.alerted && s.consecutive_failures >= alert_after) {
    s.alerted = true;
    return AlertAction::kAlert;
  }
  return AlertAction::kNone;
}

AlertStateFile AlertStateFile::load(const std::filesystem::path& file) {
  AlertStateFile f;
  auto text = read_file_if_exists(file);
  if (!text) return f;
  json doc = json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("suites") || !doc["suites"].is_object())
    throw std::runtime_error(file.string() + ": not a Cellar probe state file (delete it to start over)");
  f.doc_ = std::move(doc);
  return f;
}

void AlertStateFile::save(const std::filesystem::path& file) const { write_file_atomic(file, doc_.dump(2) + "\n"); }

AlertState AlertStateFile::get(const std::string& suite) const {
  AlertState s;
  const json& suites = doc_["suites"];
  if (!suites.contains(suite) || !suites[suite].is_object()) return s;
  const json& j = suites[suite];
  s.consecutive_failures = j.value("consecutive_failures", 0);
  s.alerted = j.value("alerted", false);
  s.failing_since = j.value("failing_since", "");
  s.last_run = j.value("last_run", "");
  s.last_success = j.value("last_success", "");
  return s;
}

void AlertStateFile::set(const std::string& suite, const AlertState& s) {
  doc_["suites"][suite] = {{"consecutive_failures", s.consecutive_failures},
                           {"alerted", s.alerted},
                           {"failing_since", s.failing_since},
                           {"last_run", s.last_run},
                           {"last_success", s.last_success}};
}

}  // namespace cellar::ops
