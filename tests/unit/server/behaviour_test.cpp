// Backpressure, cancellation, timeouts, probes, metrics, authentication and
// shutdown of the HTTP layer, over the fake backend.
#include <cstdio>
#include <fstream>

#include "server/auth.h"
#include "server_fixture.h"
#include "support/test_support.h"

namespace cellar::server::test {
namespace {

class Behaviour : public ServerFixture {};

TEST_F(Behaviour, ClientDisconnectMidStreamCancelsTheGeneration) {
  start({FakeModelOptions{.n_ctx = 512, .token_delay = std::chrono::milliseconds(20)}});
  httplib::Request req;
  req.method = "POST";
  req.path = "/v1/chat/completions";
  req.body = chat("fake", 200, true).dump();
  req.set_header("Content-Type", "application/json");
  int chunks = 0;
  req.content_receiver = [&](const char*, size_t, uint64_t, uint64_t) { return ++chunks < 3; };
  auto t0 = std::chrono::steady_clock::now();
  client().send(req);
  // 200 tokens take 4 s; the engine must hear about the disconnect within a few steps.
  while (fakes_["fake"]->finished_cancelled() == 0 &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(fakes_["fake"]->finished_cancelled(), 1);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
}

TEST_F(Behaviour, FullQueueAnswers429WithRetryAfter) {
  start({FakeModelOptions{.n_slots = 1, .max_queue = 0, .token_delay = std::chrono::milliseconds(10)}});
  std::thread busy([&] { post("/v1/chat/completions", chat("fake", 30)); });
  while (fakes_["fake"]->active() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto r = post("/v1/chat/completions", chat("fake", 2));
  auto e = expect_openai_error(r, 429);
  EXPECT_EQ(e["code"], "rate_limit_exceeded");
  EXPECT_FALSE(r->get_header_value("Retry-After").empty());
  auto o = post("/api/generate", json{{"model", "fake"}, {"prompt", "x"}, {"stream", false}});
  EXPECT_EQ(o->status, 429);
  busy.join();
}

TEST_F(Behaviour, HundredConcurrentClientsOnTwoSlotsAllGetAnAnswer) {
  start({FakeModelOptions{.n_slots = 2, .max_queue = 4, .token_delay = std::chrono::milliseconds(1)}});
  std::atomic<int> ok{0}, busy{0}, other{0};
  auto count = [&](int status) { (status == 200 ? ok : status == 429 ? busy : other)++; };
  std::vector<std::thread> ts;
  for (int i = 0; i < 100; ++i) {
    ts.emplace_back([&, i] {
      if (i % 2) {
        auto r = post("/v1/chat/completions", chat("fake", 3));
        count(r ? r->status : -1);
      } else {
        count(post_stream("/v1/chat/completions", chat("fake", 3, true)).first);
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_GT(ok.load(), 0);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(ok + busy, 100);
  EXPECT_EQ(post("/v1/chat/completions", chat("fake", 1))->status, 200);
}

TEST_F(Behaviour, PerRequestTimeoutEndsTheRequest) {
  ApiServerOptions o;
  o.limits.timeout_seconds = 0.05;
  start({FakeModelOptions{.token_delay = std::chrono::milliseconds(10)}}, o);
  auto e = expect_openai_error(post("/v1/chat/completions", chat("fake", 50)), 504);
  EXPECT_EQ(e["type"], "timeout_error");
  auto [status, body] = post_stream("/v1/chat/completions", chat("fake", 50, true));
  auto events = sse_data(body);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.back(), "[DONE]");
  EXPECT_TRUE(json::parse(events[events.size() - 2]).contains("error"));
}

TEST_F(Behaviour, HealthAndReadiness) {
  start();
  EXPECT_EQ(client().Get("/health")->status, 200);
  EXPECT_EQ(client().Get("/ready")->status, 200);
  backend_.set_ready(false);
  auto r = client().Get("/ready");
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(json::parse(r->body)["reason"], "warming up 'fake'");
}

TEST_F(Behaviour, MetricsCountRequestsTokensAndPassPromtool) {
  start();
  ASSERT_EQ(post("/v1/chat/completions", chat("fake", 3))->status, 200);
  post("/v1/chat/completions", std::string("{"));
  // The access log (and its counter) runs just after the reply is sent: poll briefly.
  const std::string k400 = "cellar_http_requests_total{route=\"/v1/chat/completions\",status=\"400\"} 1";
  std::string m;
  for (int i = 0; i < 100 && m.find(k400) == std::string::npos; ++i) {
    if (i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto r = client().Get("/metrics");
    ASSERT_EQ(r->status, 200);
    m = r->body;
  }
  EXPECT_NE(m.find("cellar_http_requests_total{route=\"/v1/chat/completions\",status=\"200\"} 1"), std::string::npos);
  EXPECT_NE(m.find(k400), std::string::npos);
  EXPECT_NE(m.find("cellar_generation_tokens_total{model=\"fake\"} 3"), std::string::npos);
  EXPECT_NE(m.find("cellar_prompt_tokens_total{model=\"fake\"} 21"), std::string::npos);
  EXPECT_NE(m.find("cellar_inter_token_latency_seconds_count{model=\"fake\"} 2"), std::string::npos);
  EXPECT_NE(m.find("cellar_time_to_first_token_seconds_count{model=\"fake\"} 1"), std::string::npos);
  for (const char* name : {"cellar_e2e_request_latency_seconds_bucket", "cellar_request_queue_time_seconds_sum",
                           "cellar_num_requests_running{model=\"fake\"}", "cellar_num_requests_waiting{model=\"fake\"}",
                           "cellar_kv_cache_usage_perc{model=\"fake\"}", "process_resident_memory_bytes "}) {
    EXPECT_NE(m.find(name), std::string::npos) << name;
  }
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) GTEST_SKIP() << "promtool not installed";
  cellar::test::TempDir dir;
  std::ofstream(dir / "metrics.txt") << m;
  std::string cmd = "promtool check metrics < " + (dir / "metrics.txt").string() + " > " +
                    (dir / "out.txt").string() + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cellar::test::read_file(dir / "out.txt");
}

TEST_F(Behaviour, ApiKeysGuardEverythingButHealthAndReady) {
  cellar::test::TempDir dir;
  std::ofstream(dir / "keys") << "# team keys\nalice:sk-alice-0123456789abcdef\n";
  start({FakeModelOptions{}}, {}, std::make_shared<KeyFileAuthenticator>((dir / "keys").string()));
  auto e = expect_openai_error(post("/v1/chat/completions", chat("fake", 1)), 401);
  EXPECT_EQ(e["code"], "invalid_api_key");
  expect_openai_error(post("/v1/chat/completions", chat("fake", 1).dump(), {{"Authorization", "Bearer sk-wrong"}}),
                      401);
  auto r = post("/v1/chat/completions", chat("fake", 1).dump(),
                {{"Authorization", "Bearer sk-alice-0123456789abcdef"}});
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(client().Get("/health")->status, 200);
  EXPECT_EQ(client().Get("/metrics")->status, 401);
  EXPECT_EQ(client().Get("/metrics", {{"Authorization", "Bearer sk-alice-0123456789abcdef"}})->status, 200);
  EXPECT_EQ(client().Get("/v1/models")->status, 401);
}

TEST_F(Behaviour, ShutdownFinishesInFlightAndRefusesNew) {
  start({FakeModelOptions{.token_delay = std::chrono::milliseconds(10)}});
  std::pair<int, std::string> streamed;
  std::thread in_flight([&] { streamed = post_stream("/v1/chat/completions", chat("fake", 20, true)); });
  while (fakes_["fake"]->active() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread stopper([&] { server_->shutdown(5); });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  auto refused = post("/v1/chat/completions", chat("fake", 1));
  in_flight.join();
  stopper.join();
  ASSERT_EQ(streamed.first, 200);
  EXPECT_EQ(sse_data(streamed.second).back(), "[DONE]");
  if (refused) {
    EXPECT_EQ(refused->status, 503);
  }
}

}  // namespace
}  // namespace cellar::server::test
