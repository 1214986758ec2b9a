// `cellar report latency` over synthetic timing records: one row per model
// version, side by side, as a table and as JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "registry/request_timings.h"
#include "unit/registry/registry_fixture.h"
#include "unit/registry/subprocess.h"

namespace cellar::registry::test {
namespace {

void record(const std::filesystem::path& home) {
  Catalog catalog(home);
  std::vector<RequestTiming> batch;
  for (int i = 0; i < 20; ++i) {
    RequestTiming t;
    t.at = "2026-11-26T08:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ".000Z";
    t.deployment = "support";
    t.model_version = i < 10 ? "llama:1" : "llama:2";
    t.prompt_tokens = 20;
    t.completion_tokens = 21;
    t.ttft_seconds = i < 10 ? 0.050 : 0.150;  // v2: three times the TTFT
    t.total_seconds = *t.ttft_seconds + (i < 10 ? 1.0 : 2.0);
    batch.push_back(t);
  }
  TimingStore(catalog).append(batch);
}

TEST(ReportLatency, VersionsSideBySide) {
  cellar::test::TempDir tmp;
  record(tmp / "home");
  std::string bin = cellar::test::cellar_binary().string();
  std::string home = " --home '" + (tmp / "home").string() + "'";
  ShellResult r = run_shell(bin + " report latency --deployment support" + home);
  ASSERT_EQ(r.status, 0) << r.output;
  auto v1 = r.output.find("llama:1");
  auto v2 = r.output.find("llama:2");
  ASSERT_NE(v1, std::string::npos) << r.output;
  ASSERT_NE(v2, std::string::npos) << r.output;
  EXPECT_LT(v1, v2);  // in the order the versions served
  EXPECT_NE(r.output.find("TTFT p95"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("50ms"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("150ms"), std::string::npos) << r.output;

  r = run_shell(bin + " report latency --json --deployment support" + home);
  ASSERT_EQ(r.status, 0) << r.output;
  auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j["versions"].size(), 2u);
  EXPECT_NEAR(j["versions"][0]["tokens_per_second"]["p50"].get<double>(), 20.0, 1e-3);
  EXPECT_NEAR(j["versions"][1]["tokens_per_second"]["p50"].get<double>(), 10.0, 1e-3);
  EXPECT_NEAR(j["versions"][1]["ttft_seconds"]["p99"].get<double>(), 0.150, 1e-6);

  r = run_shell(bin + " report latency --deployment support --since 2026-11-27" + home);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("no requests recorded"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace cellar::registry::test
