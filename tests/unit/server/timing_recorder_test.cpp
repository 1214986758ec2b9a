// The server records one timing row per generation request (no prompt
// text), written off the request threads, for `cellar report latency`.
#include <gtest/gtest.h>

#include "registry/request_timings.h"
#include "server_fixture.h"
#include "support/test_support.h"

namespace cellar::server::test {
namespace {

class Timings : public ServerFixture {
 protected:
  std::vector<registry::RequestTiming> recorded(const std::string& deployment) {
    server_->timings()->flush();
    registry::Catalog catalog(home_.path());
    return registry::TimingStore(catalog).list(deployment, std::nullopt);
  }
  cellar::test::TempDir home_;
};

TEST_F(Timings, GenerationRequestsAreRecordedWithTheirVersions) {
  ApiServerOptions opts;
  opts.timings_home = home_.path();
  start({FakeModelOptions{}}, opts);
  ASSERT_EQ(post("/v1/chat/completions", chat("fake", 3))->status, 200);
  ASSERT_EQ(client().Get("/v1/models")->status, 200);  // not a generation: not recorded
  // The row is queued when the request's log line is written, just after the answer.
  std::vector<registry::RequestTiming> rows;
  for (int i = 0; i < 100 && rows.empty(); ++i) {
    rows = recorded("fake");
    if (rows.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].model_version, "fake.gguf");
  EXPECT_EQ(rows[0].template_version, "builtin");
  EXPECT_EQ(rows[0].completion_tokens, 3);
  EXPECT_EQ(rows[0].status, 200);
  ASSERT_TRUE(rows[0].ttft_seconds);
  EXPECT_GE(rows[0].total_seconds, *rows[0].ttft_seconds);
}

TEST_F(Timings, FailedRequestsAreRecordedWithTheirStatus) {
  ApiServerOptions opts;
  opts.timings_home = home_.path();
  opts.limits.max_tokens_cap = 2;
  start({FakeModelOptions{}}, opts);
  auto r = post("/v1/chat/completions", chat("fake", 1000000));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 400);
  std::vector<registry::RequestTiming> rows;
  for (int i = 0; i < 100 && rows.empty(); ++i) {
    rows = recorded("fake");
    if (rows.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].status, 400);
  EXPECT_FALSE(rows[0].ttft_seconds);
}

}  // namespace
}  // namespace cellar::server::test
