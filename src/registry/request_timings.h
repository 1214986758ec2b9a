#pragma once
// Per-request timing records (never prompt text) the server appends so that
// `cellar report latency --deployment NAME` can compare model versions:
// TTFT and decode speed percentiles per version, side by side.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/catalog.h"

namespace cellar::registry {

struct RequestTiming {
  std::string at;  // timestamps.h format
  std::string deployment;
  std::string model_version;
  std::optional<std::string> template_version;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  std::optional<double> ttft_seconds;  // absent when no token came
  double total_seconds = 0;
  int status = 200;
};

class TimingStore {
 public:
  explicit TimingStore(Catalog& catalog) : catalog_(catalog) {}
  // One transaction for the batch; does not bump the catalogue generation
  // (timings are not registry changes) and writes no audit row.
  void append(const std::vector<RequestTiming>& batch);
  // Oldest first; `since` is a normalised timestamp.
  std::vector<RequestTiming> list(const std::string& deployment, const std::optional<std::string>& since);

 private:
  Catalog& catalog_;
};

struct LatencySummary {
  std::string model_version;
  std::string first_at, last_at;
  int64_t requests = 0;
  int64_t errors = 0;  // status >= 400
  // Over successful requests with a first token:
  double ttft_p50 = 0, ttft_p95 = 0, ttft_p99 = 0;
  // Decode speed per request, completion tokens after the first / time after it:
  double tokens_per_second_p50 = 0;
  double tokens_per_second_p5 = 0;  // the slowest 5%
  nlohmann::json to_json() const;
};

// One summary per model version, in the order each version first served.
std::vector<LatencySummary> summarize_latency(const std::vector<RequestTiming>& timings);

// The q-quantile (0..1) of `values` by linear interpolation; 0 when empty.
double percentile(std::vector<double> values, double q);

}  // namespace cellar::registry
