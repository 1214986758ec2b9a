#include <gtest/gtest.h>

#include <thread>

#include "server/metrics/metrics_registry.h"

namespace cellar::server::metrics {
namespace {

TEST(MetricsRegistry, RendersCountersWithLabelsAndEscaping) {
  Registry r;
  auto& c = r.counter("x_requests_total", "Requests.", {"route", "status"});
  c.with({"/a", "200"}).inc();
  c.with({"/a", "200"}).inc(2);
  c.with({"q\"\\\n", "500"}).inc();
  std::string text = r.render();
  EXPECT_NE(text.find("# HELP x_requests_total Requests.\n# TYPE x_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("x_requests_total{route=\"/a\",status=\"200\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("x_requests_total{route=\"q\\\"\\\\\\n\",status=\"500\"} 1\n"), std::string::npos);
}

TEST(MetricsRegistry, HistogramBucketsAreCumulative) {
  Registry r;
  auto& h = r.histogram("x_latency_seconds", "Latency.", {"model"}, {0.1, 1.0});
  h.with({"m"}).observe(0.05);
  h.with({"m"}).observe(0.1);  // on the bound: counted in le="0.1"
  h.with({"m"}).observe(0.5);
  h.with({"m"}).observe(7);
  std::string text = r.render();
  EXPECT_NE(text.find("x_latency_seconds_bucket{model=\"m\",le=\"0.1\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_latency_seconds_bucket{model=\"m\",le=\"1\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_latency_seconds_bucket{model=\"m\",le=\"+Inf\"} 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_latency_seconds_sum{model=\"m\"} 7.65\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_latency_seconds_count{model=\"m\"} 4\n"), std::string::npos) << text;
}

TEST(MetricsRegistry, GaugesAndCollectorsRunBeforeRender) {
  Registry r;
  auto& g = r.gauge("x_running", "Running.");
  int calls = 0;
  r.add_collector([&] { g.with({}).set(++calls * 1.5); });
  EXPECT_NE(r.render().find("x_running 1.5\n"), std::string::npos);
  EXPECT_NE(r.render().find("x_running 3\n"), std::string::npos);
}

TEST(MetricsRegistry, ConcurrentIncrementsAreNotLost) {
  Registry r;
  auto& c = r.counter("x_total", "n", {"k"});
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) c.with({"a"}).inc();
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(c.with({"a"}).value(), 40000);
}

}  // namespace
}  // namespace cellar::server::metrics
