// Request timings: stored without bumping the catalogue generation, filtered
// by deployment and time, summarised per model version.
#include <gtest/gtest.h>

#include "registry/request_timings.h"
#include "registry_fixture.h"

namespace cellar::registry::test {
namespace {

RequestTiming timing(const std::string& at, const std::string& version, double ttft, double total, int tokens,
                     int status = 200, const std::string& deployment = "prod") {
  RequestTiming t;
  t.at = at;
  t.deployment = deployment;
  t.model_version = version;
  t.template_version = "greet:1";
  t.prompt_tokens = 12;
  t.completion_tokens = tokens;
  t.ttft_seconds = ttft;
  t.total_seconds = total;
  t.status = status;
  return t;
}

TEST(Percentile, InterpolatesBetweenRanks) {
  EXPECT_DOUBLE_EQ(percentile({}, 0.5), 0);
  EXPECT_DOUBLE_EQ(percentile({3, 1, 2}, 0.5), 2);
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 0.95), 10.5);
  EXPECT_DOUBLE_EQ(percentile({5}, 0.99), 5);
}

TEST(SummarizeLatency, OneRowPerVersionInServingOrder) {
  std::vector<RequestTiming> ts;
  for (int i = 0; i < 100; ++i) {  // v1: TTFT 10..109 ms, 11 tokens in 1 s after the first: 10 tok/s
    ts.push_back(timing("2026-11-26T08:00:00.000Z", "llama:1", 0.010 + i * 0.001, 0.010 + i * 0.001 + 1.0, 11));
  }
  for (int i = 0; i < 50; ++i) {  // v2: slower first token, twice the decode speed
    ts.push_back(timing("2026-11-26T09:00:00.000Z", "llama:2", 0.030 + i * 0.003, 0.030 + i * 0.003 + 0.5, 11));
  }
  ts.push_back(timing("2026-11-26T09:30:00.000Z", "llama:2", 0, 0.001, 0, 503));
  auto rows = summarize_latency(ts);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].model_version, "llama:1");
  EXPECT_EQ(rows[0].requests, 100);
  EXPECT_EQ(rows[0].errors, 0);
  EXPECT_NEAR(rows[0].ttft_p50, 0.0595, 1e-9);
  EXPECT_NEAR(rows[0].ttft_p99, 0.010 + 98.01 * 0.001, 1e-9);
  EXPECT_NEAR(rows[0].tokens_per_second_p50, 10.0, 1e-6);
  EXPECT_EQ(rows[1].model_version, "llama:2");
  EXPECT_EQ(rows[1].requests, 51);
  EXPECT_EQ(rows[1].errors, 1);
  EXPECT_NEAR(rows[1].ttft_p95, 0.030 + 46.55 * 0.003, 1e-9);
  EXPECT_NEAR(rows[1].tokens_per_second_p50, 20.0, 1e-6);
  EXPECT_EQ(rows[1].last_at, "2026-11-26T09:30:00.000Z");
  auto j = rows[1].to_json();
  EXPECT_EQ(j["errors"], 1);
  EXPECT_TRUE(j["ttft_seconds"].contains("p99"));
}

class TimingStoreTest : public RegistryTest {};

TEST_F(TimingStoreTest, StoresWithoutBumpingTheGenerationAndFilters) {
  TimingStore store(catalog());
  int64_t gen = catalog().generation();
  store.append({timing("2026-11-26T08:00:00.000Z", "llama:1", 0.02, 0.5, 5),
                timing("2026-11-26T10:00:00.000Z", "llama:2", 0.04, 0.7, 5),
                timing("2026-11-26T10:00:00.000Z", "other:1", 0.04, 0.7, 5, 200, "staging")});
  EXPECT_EQ(catalog().generation(), gen);  // a running server must not reload for timings
  auto all = store.list("prod", std::nullopt);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].model_version, "llama:1");
  ASSERT_TRUE(all[0].ttft_seconds);
  EXPECT_NEAR(*all[0].ttft_seconds, 0.02, 1e-6);
  EXPECT_NEAR(all[1].total_seconds, 0.7, 1e-6);
  EXPECT_EQ(all[1].template_version, "greet:1");
  auto recent = store.list("prod", std::string("2026-11-26T09:00:00.000Z"));
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0].model_version, "llama:2");
  EXPECT_TRUE(store.list("nobody", std::nullopt).empty());
}

TEST_F(TimingStoreTest, RequestWithoutFirstTokenKeepsTtftAbsent) {
  TimingStore store(catalog());
  auto t = timing("2026-11-26T08:00:00.000Z", "llama:1", 0, 0.1, 0, 400);
  t.ttft_seconds.reset();
  store.append({t});
  auto all = store.list("prod", std::nullopt);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_FALSE(all[0].ttft_seconds);
  EXPECT_EQ(all[0].status, 400);
}

}  // namespace
}  // namespace cellar::registry::test
