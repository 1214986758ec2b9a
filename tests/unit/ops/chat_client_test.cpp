#include "ops/chat_client.h"

#include <gtest/gtest.h>

#include "fake_servers.h"
#include "ops/probe_run.h"
#include "ops/sse_parser.h"

namespace cellar::ops {
namespace {

using test::FakeOpenAi;

ChatClient client_for(const std::string& url, std::string key = "") {
  ChatClientOptions o;
  o.api_key = std::move(key);
  o.total_timeout = std::chrono::milliseconds(3000);
  return ChatClient(parse_http_url(url), o);
}

TEST(SseParser, SplitsEventsAcrossArbitraryChunks) {
  std::vector<std::string> events;
  SseParser p([&](const std::string& d) { events.push_back(d); });
  std::string stream = ": comment\r\ndata: {\"a\":1}\r\n\r\nevent: x\ndata: line1\ndata: line2\n\ndata: [DONE]";
  for (char c : stream) p.feed(&c, 1);
  p.finish();
  EXPECT_EQ(events, (std::vector<std::string>{"{\"a\":1}", "line1\nline2", "[DONE]"}));
}

TEST(HttpTarget, ParsesAndBuildsChatPath) {
  auto t = parse_http_url("https://example.org:8443/prefix/");
  EXPECT_EQ(t.origin(), "https://example.org:8443");
  EXPECT_EQ(chat_completions_path(t), "/prefix/v1/chat/completions");
  EXPECT_EQ(chat_completions_path(parse_http_url("http://h/v1")), "/v1/chat/completions");
  EXPECT_EQ(parse_http_url("http://h").port, 80);
  EXPECT_THROW(parse_http_url("ftp://h"), UrlError);
  EXPECT_THROW(parse_http_url("http://h:99999"), UrlError);
  EXPECT_THROW(parse_http_url("localhost:8080"), UrlError);
}

TEST(ChatClient, StreamsAnswerWithTtftHeadersAndTokens) {
  FakeOpenAi server;
  server.answer = [](const nlohmann::json&) {
    FakeOpenAi::Reply r{"The capital is Paris"};
    r.first_token_delay = std::chrono::milliseconds(30);
    r.model_version = "sha-abc";
    r.template_version = "tpl-2";
    return r;
  };
  auto result = client_for(server.url(), "sekret").ask({"assistant", "Be brief.", "Capital?", 16});
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.answer.text, "The capital is Paris");
  EXPECT_EQ(result.answer.tokens, 4);
  ASSERT_TRUE(result.answer.ttft_ms.has_value());
  EXPECT_GE(*result.answer.ttft_ms, 30.0);
  EXPECT_GE(result.answer.latency_ms, *result.answer.ttft_ms);
  EXPECT_EQ(result.model_version, "sha-abc");
  EXPECT_EQ(result.template_version, "tpl-2");
  EXPECT_EQ(result.finish_reason, "stop");

  ASSERT_EQ(server.requests.size(), 1u);
  const auto& req = server.requests[0];
  EXPECT_EQ(req["model"], "assistant");
  EXPECT_EQ(req["temperature"], 0);
  EXPECT_EQ(req["stream"], true);
  EXPECT_EQ(req["max_tokens"], 16);
  EXPECT_EQ(req["messages"][0]["role"], "system");
  EXPECT_EQ(req["messages"][1]["content"], "Capital?");
  EXPECT_EQ(server.auth_headers[0], "Bearer sekret");
}

TEST(ChatClient, CountsChunksWhenNoUsageIsSent) {
  FakeOpenAi server;
  server.answer = [](const nlohmann::json&) {
    FakeOpenAi::Reply r{"a b c"};
    r.send_usage = false;
    return r;
  };
  auto result = client_for(server.url()).ask({"m", "", "q", 8});
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.answer.tokens, 3);
}

TEST(ChatClient, AcceptsNonStreamingServers) {
  FakeOpenAi server;
  server.answer = [](const nlohmann::json&) {
    FakeOpenAi::Reply r{"plain answer"};
    r.stream = false;
    return r;
  };
  auto result = client_for(server.url()).ask({"m", "", "q", 8});
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.answer.text, "plain answer");
  ASSERT_TRUE(result.answer.ttft_ms.has_value());
}

TEST(ChatClient, ReportsHttpErrorsWithTheServerMessage) {
  FakeOpenAi server;
  server.answer = [](const nlohmann::json&) {
    FakeOpenAi::Reply r{"model 'x' not found"};
    r.status = 404;
    return r;
  };
  auto result = client_for(server.url()).ask({"x", "", "q", 8});
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.http_status, 404);
  EXPECT_EQ(result.error, "HTTP 404: model 'x' not found");
}

TEST(ChatClient, ConnectionRefusedIsAFailureNotACrash) {
  int port;
  {
    test::LoopbackServer s;  // find a free port, then close it
    s.start();
    port = s.port();
  }
  GoldenSuite suite{"s", "s.yaml", {}};
  for (const char* id : {"a", "b"}) suite.questions.push_back(Question{id, "p", "", "m", 8, {}});
  ProbeRun run = run_suite(suite, client_for("http://127.0.0.1:" + std::to_string(port)));
  ASSERT_EQ(run.results.size(), 2u);
  for (const auto& r : run.results) {
    EXPECT_FALSE(r.passed);
    EXPECT_FALSE(r.reached);
    EXPECT_NE(r.reason.find("cannot reach"), std::string::npos) << r.reason;
  }
  EXPECT_FALSE(run.all_passed());
}

}  // namespace
}  // namespace cellar::ops
