#include "ops/health_report.h"

#include <gtest/gtest.h>

#include "ops/health_chart.h"

namespace cellar::ops {
namespace {

HealthRow row(const std::string& time, double latency, bool passed) {
  HealthRow r;
  r.time = time;
  r.question = "q";
  r.latency_ms = latency;
  r.passed = passed;
  r.ttft_ms = latency / 10;
  return r;
}

TEST(HealthReport, NearestRankPercentiles) {
  std::vector<double> v;
  for (int i = 100; i >= 1; --i) v.push_back(i);  // unsorted on purpose
  EXPECT_EQ(percentile(v, 50), 50);
  EXPECT_EQ(percentile(v, 95), 95);
  EXPECT_EQ(percentile(v, 99), 99);
  EXPECT_EQ(percentile(v, 100), 100);
  EXPECT_EQ(percentile({7}, 99), 7);
  EXPECT_EQ(percentile({1, 2, 3, 4}, 50), 2);
  EXPECT_EQ(percentile({}, 50), 0);
}

TEST(HealthReport, GroupsByUtcDay) {
  std::vector<HealthRow> rows;
  for (int i = 1; i <= 20; ++i) rows.push_back(row("2026-11-24T06:00:00Z", i * 10, i != 3));
  rows.push_back(row("2026-11-25T06:00:00Z", 500, true));
  rows.push_back(row("garbage", 1, true));
  rows[0].drift_score = 0.4;
  auto days = daily_health(rows);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].day, "2026-11-24");
  EXPECT_EQ(days[0].questions, 20u);
  EXPECT_EQ(days[0].passed, 19u);
  EXPECT_DOUBLE_EQ(days[0].pass_rate, 0.95);
  EXPECT_EQ(days[0].latency_p50_ms, 100);
  EXPECT_EQ(days[0].latency_p95_ms, 190);
  EXPECT_EQ(days[0].latency_p99_ms, 200);
  EXPECT_EQ(days[0].ttft_p50_ms, 10);
  EXPECT_DOUBLE_EQ(days[0].worst_drift, 0.4);
  EXPECT_EQ(days[1].latency_p99_ms, 500);
  auto table = format_health_table(days);
  EXPECT_NE(table.find("2026-11-24"), std::string::npos);
  EXPECT_NE(table.find("95.0%"), std::string::npos);
}

TEST(HealthChart, DrawsBarsLinesAxesAndLegend) {
  std::vector<DayHealth> days(3);
  for (int i = 0; i < 3; ++i) {
    days[i].day = "2026-11-2" + std::to_string(i);
    days[i].pass_rate = i == 1 ? 0.6 : 1.0;
    days[i].latency_p50_ms = 100 + i * 50;
    days[i].latency_p95_ms = 300 + i * 50;
  }
  std::string svg = health_chart_svg(days, "Health <prod>");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("Health &lt;prod&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<prod>"), std::string::npos);
  size_t bars = 0;
  for (size_t p = svg.find("<rect x="); p != std::string::npos; p = svg.find("<rect x=", p + 1)) ++bars;
  EXPECT_EQ(bars, 3u + 1u);  // three days + the legend swatch
  EXPECT_NE(svg.find("#e06666"), std::string::npos);  // the 60% day is red
  EXPECT_EQ(std::count(svg.begin(), svg.end(), '\n') > 10, true);
  EXPECT_NE(svg.find("<polyline"), std::string::npos);
  EXPECT_NE(svg.find("latency p95"), std::string::npos);
  EXPECT_NE(svg.find("100%"), std::string::npos);
  EXPECT_THROW(health_chart_svg({}, "t"), std::invalid_argument);
}

TEST(HealthChart, NiceSteps) {
  EXPECT_EQ(nice_step(1000, 5), 200);
  EXPECT_EQ(nice_step(730, 5), 200);
  EXPECT_EQ(nice_step(90, 5), 20);
  EXPECT_EQ(nice_step(0, 5), 1);
}

}  // namespace
}  // namespace cellar::ops
