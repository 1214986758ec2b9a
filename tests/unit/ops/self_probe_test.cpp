#include "ops/self_probe.h"

#include <gtest/gtest.h>

#include "fake_servers.h"

namespace cellar::ops {
namespace {

using namespace std::chrono_literals;

TEST(SelfProbe, RunsOnScheduleAndPublishesMetrics) {
  test::FakeOpenAi server;
  GoldenSuite suite{"self", "s.yaml", {Question{"capital", "Capital?", "", "assistant", 8, {}}}};
  suite.questions[0].expect.contains = {"Paris"};
  ProbeJobOptions o;
  o.url = server.url();
  std::atomic<int> reports{0};
  SelfProbe probe(suite, o, 20ms, [&](const ProbeJobReport& r) {
    EXPECT_TRUE(r.run.all_passed());
    ++reports;
  });
  probe.start();
  for (int i = 0; i < 500 && reports < 2; ++i) std::this_thread::sleep_for(2ms);
  probe.stop();
  EXPECT_GE(reports.load(), 2);
  ASSERT_TRUE(probe.last_report().has_value());
  std::string text = probe.metrics().render();
  EXPECT_NE(text.find("cellar_probe_passed{suite=\"self\",question=\"capital\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("cellar_probe_last_success_timestamp_seconds{suite=\"self\"}"), std::string::npos);
}

}  // namespace
}  // namespace cellar::ops
