#pragma once
// Per-day summary of the health CSV: how many questions passed and how fast
// answers came (latency percentiles), the numbers behind the "ECG" chart.
#include <string>
#include <vector>

#include "ops/health_csv.h"

namespace cellar::ops {

struct DayHealth {
  std::string day;  // YYYY-MM-DD (UTC)
  size_t questions = 0;
  size_t passed = 0;
  double pass_rate = 0;  // 0..1
  double latency_p50_ms = 0;
  double latency_p95_ms = 0;
  double latency_p99_ms = 0;
  double ttft_p50_ms = 0;  // 0 when no TTFT was recorded that day
  double worst_drift = 1;  // lowest drift score seen, 1 when none recorded
};

// Nearest-rank percentile (p in 0..100) of unsorted values; 0 for none.
// https://en.wikipedia.org/wiki/Percentile#The_nearest-rank_method
double percentile(std::vector<double> values, double p);

// Days in ascending order; rows with a time not starting "YYYY-MM-DD" are skipped.
std::vector<DayHealth> daily_health(const std::vector<HealthRow>& rows);

// A fixed-width text table with one line per day.
std::string format_health_table(const std::vector<DayHealth>& days);

}  // namespace cellar::ops
