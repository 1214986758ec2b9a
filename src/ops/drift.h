#pragma once
// Drift: greedy (temperature 0) answers should not change while the model and
// template stay the same. A baseline records them per deployment and model
// version; later runs are compared to it, and latency to its median.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ops/probe_run.h"

namespace cellar::ops {

// Lowercased ASCII, whitespace runs collapsed to one space, ends trimmed, so
// a changed line break is not drift.
std::string normalise_answer(const std::string& text);

// 1 - Levenshtein(a, b) / max(len) over Unicode code points of the normalised
// texts; 1 for identical, 0 for nothing in common. Long answers are compared on
// their first kMaxCompared code points to bound the cost.
double answer_similarity(const std::string& a, const std::string& b);
inline constexpr size_t kMaxCompared = 4000;

struct BaselineAnswer {
  std::string answer;
  std::vector<double> latencies_ms;  // most recent last, at most kMaxLatencySamples
};
inline constexpr size_t kMaxLatencySamples = 20;

class BaselineStore {
 public:
  // An empty store when the file does not exist; throws std::runtime_error naming
  // the file when it exists but is not a baseline.
  static BaselineStore load(const std::filesystem::path& file);
  void save(const std::filesystem::path& file) const;  // atomic

  // Stores the answers of questions that were answered; returns how many.
  size_t record(const ProbeRun& run);
  std::optional<BaselineAnswer> find(const std::string& deployment, const std::string& model_version,
                             const std::string& question) const;

 private:
  nlohmann::json doc_ = {{"format", 1}, {"baselines", nlohmann::json::object()}};
};

struct DriftOptions {
  double threshold = 0.8;       // similarity below this is drift
  double latency_factor = 2.0;  // latency above factor × baseline median is a regression
  // ... and at least this much above it: a 1 ms baseline answered in 3 ms is
  // scheduling jitter, not a regression.
  double latency_min_increase_ms = 50.0;
};

struct DriftSummary {
  size_t compared = 0;
  size_t drifted = 0;
  size_t slow = 0;
  size_t without_baseline = 0;
};

// Sets each answered result's drift_score and fails drifted or slow ones with a reason.
DriftSummary apply_drift(ProbeRun& run, const BaselineStore& store, const DriftOptions& options);

}  // namespace cellar::ops
