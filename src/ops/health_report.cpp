#include "ops/health_report.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>

namespace cellar::ops {
namespace {

bool looks_like_date(const std::string& t) {
  if (t.size() < 10 || t[4] != '-' || t[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return false;
  return true;
}

struct DayRows {
  std::vector<double> latency, ttft;
  size_t passed = 0, total = 0;
  double worst_drift = 1;
};

}  // namespace

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  size_t idx = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return values[std::min(idx, values.size() - 1)];
}

std::vector<DayHealth> daily_health(const std::vector<HealthRow>& rows) {
  std::map<std::string, DayRows> by_day;
  for (const auto& r : rows) {
    if (!looks_like_date(r.time)) continue;
    DayRows& d = by_day[r.time.substr(0, 10)];
    ++d.total;
    if (r.passed) ++d.passed;
    d.latency.push_back(r.latency_ms);
    if (r.ttft_ms) d.ttft.push_back(*r.ttft_ms);
    if (r.drift_score) d.worst_drift = std::min(d.worst_drift, *r.drift_score);
  }
  std::vector<DayHealth> out;
  for (const auto& [day, d] : by_day) {
    DayHealth h;
    h.day = day;
    h.questions = d.total;
    h.passed = d.passed;
    h.pass_rate = static_cast<double>(d.passed) / static_cast<double>(d.total);
    h.latency_p50_ms = percentile(d.latency, 50);
    h.latency_p95_ms = percentile(d.latency, 95);
    h.latency_p99_ms = percentile(d.latency, 99);
    h.ttft_p50_ms = percentile(d.ttft, 50);
    h.worst_drift = d.worst_drift;
    out.push_back(h);
  }
  return out;
}

std::string format_health_table(const std::vector<DayHealth>& days) {
  std::string out;
  char line[200];
  std::snprintf(line, sizeof line, "%-10s  %9s  %7s  %9s  %9s  %9s  %9s  %6s\n", "day", "questions", "pass",
                "p50 ms", "p95 ms", "p99 ms", "ttft p50", "drift");
  out += line;
  for (const auto& d : days) {
    std::snprintf(line, sizeof line, "%-10s  %9zu  %6.1f%%  %9.0f  %9.0f  %9.0f  %9.0f  %6.2f\n", d.day.c_str(),
                  d.questions, 100.0 * d.pass_rate, d.latency_p50_ms, d.latency_p95_ms, d.latency_p99_ms,
                  d.ttft_p50_ms, d.worst_drift);
    out += line;
  }
  return out;
}

}  // namespace cellar::ops
