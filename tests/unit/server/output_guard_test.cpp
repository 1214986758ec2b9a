// The guard on generated text: PII placeholders (policy redact_output) and
// the canary / system-prompt leak check, streamed (SSE, NDJSON) or not, with
// matches split across the engine's pieces.
#include <gtest/gtest.h>

#include "guard/canary.h"
#include "server_fixture.h"

namespace cellar::server::test {
namespace {

// The model's pieces cut the e-mail and the card number in the middle.
const std::vector<std::string> kPiiScript = {"Mail ali", "@exam", "ple.com or card 4111 ", "1111 1111 1111", " now."};
const char* kPiiRedacted = "Mail [EMAIL] or card [CARD] now.";

json user_chat(bool stream) {
  return {{"model", "fake"}, {"max_tokens", 20}, {"stream", stream},
          {"messages", json::array({{{"role", "user"}, {"content", "hi"}}})}};
}

ApiServerOptions redacting_output(guard::InjectionMode mode = guard::InjectionMode::kOff) {
  ApiServerOptions o;
  o.guard.redact_output = true;
  o.guard.injection = mode;
  return o;
}

class OutputGuardTest : public ServerFixture {
 protected:
  // A model whose system prompt holds a canary that its output repeats, cut
  // across two pieces. Returns the canary.
  std::string start_leaking_canary(guard::InjectionMode mode) {
    std::string canary = guard::make_canary();
    FakeModelOptions m{.system_prompt = "Be brief. " + canary,
                       .script = {"The code is ", canary.substr(0, 20), canary.substr(20), " and that is all."}};
    start({m}, redacting_output(mode));
    return canary;
  }
  // Concatenated content deltas of an OpenAI chat stream, and its finish reason.
  static std::string sse_content(const std::string& body, std::string* finish_reason) {
    std::string text;
    for (const std::string& d : sse_data(body)) {
      if (d == "[DONE]") continue;
      json j = json::parse(d);
      if (!j.contains("choices") || j["choices"].empty()) continue;
      const json& c = j["choices"][0];
      if (c["delta"].contains("content")) text += c["delta"]["content"].get<std::string>();
      if (!c["finish_reason"].is_null()) *finish_reason = c["finish_reason"];
    }
    return text;
  }
};

TEST_F(OutputGuardTest, NonStreamingChatHasPiiReplaced) {
  start({FakeModelOptions{.script = kPiiScript}}, redacting_output());
  auto r = post("/v1/chat/completions", user_chat(false));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["choices"][0]["message"]["content"], kPiiRedacted);
}

TEST_F(OutputGuardTest, SseStreamHasPiiReplacedAcrossPieces) {
  start({FakeModelOptions{.script = kPiiScript}}, redacting_output());
  auto [status, body] = post_stream("/v1/chat/completions", user_chat(true));
  ASSERT_EQ(status, 200);
  std::string reason;
  EXPECT_EQ(sse_content(body, &reason), kPiiRedacted);
  EXPECT_EQ(reason, "stop");
  EXPECT_EQ(body.find("ali"), std::string::npos) << body;
  EXPECT_EQ(body.find("4111"), std::string::npos) << body;
  std::string metrics = client().Get("/metrics")->body;
  EXPECT_NE(metrics.find("cellar_guard_output_total{model=\"fake\",event=\"pii\"} 2"), std::string::npos) << metrics;
}

TEST_F(OutputGuardTest, OllamaNdjsonStreamHasPiiReplaced) {
  start({FakeModelOptions{.script = kPiiScript}}, redacting_output());
  json body = {{"model", "fake"}, {"stream", true}, {"messages", json::array({{{"role", "user"}, {"content", "hi"}}})}};
  auto [status, raw] = post_stream("/api/chat", body);
  ASSERT_EQ(status, 200);
  std::string text;
  for (const json& line : ndjson(raw)) text += line["message"]["content"].get<std::string>();
  EXPECT_EQ(text, kPiiRedacted);
  EXPECT_EQ(raw.find("4111"), std::string::npos) << raw;
}

TEST_F(OutputGuardTest, OutputIsUntouchedWhenThePolicyDoesNotRedactIt) {
  start({FakeModelOptions{.script = kPiiScript}});
  auto [status, body] = post_stream("/v1/chat/completions", user_chat(true));
  ASSERT_EQ(status, 200);
  std::string reason;
  EXPECT_EQ(sse_content(body, &reason), "Mail ali@example.com or card 4111 1111 1111 1111 now.");
}

TEST_F(OutputGuardTest, CanaryLeakIsRedactedOrEndsTheStream) {
  std::string canary = start_leaking_canary(guard::InjectionMode::kFlag);
  auto [status, body] = post_stream("/v1/chat/completions", user_chat(true));
  ASSERT_EQ(status, 200);
  std::string reason;
  EXPECT_EQ(sse_content(body, &reason), "The code is [REDACTED] and that is all.");
  EXPECT_EQ(body.find(canary.substr(14)), std::string::npos);
  std::string metrics = client().Get("/metrics")->body;
  EXPECT_NE(metrics.find("cellar_guard_output_total{model=\"fake\",event=\"leak\"} 1"), std::string::npos) << metrics;
}

TEST_F(OutputGuardTest, CanaryLeakUnderBlockPolicyStopsTheStream) {
  start_leaking_canary(guard::InjectionMode::kBlock);
  auto [status, body] = post_stream("/v1/chat/completions", user_chat(true));
  ASSERT_EQ(status, 200);
  std::string reason;
  EXPECT_EQ(sse_content(body, &reason), "The code is ");
  EXPECT_EQ(reason, "stop");
  EXPECT_EQ(body.find("that is all"), std::string::npos);
  auto r = post("/v1/chat/completions", user_chat(false));
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["choices"][0]["message"]["content"], "The code is ");
}

}  // namespace
}  // namespace cellar::server::test
