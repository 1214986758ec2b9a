#include "server_fixture.h"

namespace cellar::server::test {
namespace {

class OpenAiApi : public ServerFixture {};

TEST_F(OpenAiApi, ChatCompletionNonStreaming) {
  start();
  auto r = post("/v1/chat/completions", chat("fake", 3));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("X-Cellar-Model-Version"), "fake.gguf");
  EXPECT_EQ(r->get_header_value("X-Cellar-Template-Version"), "builtin");
  json j = json::parse(r->body);
  EXPECT_EQ(j["id"].get<std::string>().rfind("chatcmpl-", 0), 0u);
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["model"], "fake");
  EXPECT_TRUE(j["created"].is_number_integer());
  EXPECT_TRUE(j["system_fingerprint"].is_string());
  EXPECT_EQ(j["choices"][0]["message"]["role"], "assistant");
  EXPECT_EQ(j["choices"][0]["message"]["content"], "w0 w1 w2 ");
  EXPECT_EQ(j["choices"][0]["finish_reason"], "length");
  // "user: hi\nassistant: " is 20 bytes, +1 BOS in the fake tokenizer.
  EXPECT_EQ(j["usage"]["prompt_tokens"], 21);
  EXPECT_EQ(j["usage"]["completion_tokens"], 3);
  EXPECT_EQ(j["usage"]["total_tokens"], 24);
  EXPECT_EQ(j["usage"]["prompt_tokens_details"]["cached_tokens"], 0);
}

TEST_F(OpenAiApi, EndOfTextIsFinishReasonStop) {
  FakeModelOptions o;
  o.eos_after = 2;
  start({o});
  auto r = post("/v1/chat/completions", chat("fake", 10));
  ASSERT_EQ(r->status, 200);
  json j = json::parse(r->body);
  EXPECT_EQ(j["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(j["choices"][0]["message"]["content"], "w0 w1 ");
}

TEST_F(OpenAiApi, SamplingFieldsReachTheEngine) {
  start();
  json body = chat("fake", 4);
  body["temperature"] = 0.5;
  body["top_p"] = 0.9;
  body["seed"] = 42;
  body["presence_penalty"] = 0.5;
  body["frequency_penalty"] = -0.5;
  body["logit_bias"] = {{"7", -100}, {"8", 5}};
  body["stop"] = json::array({"w2", "zz"});
  body["user"] = "alice";
  auto r = post("/v1/chat/completions", body);
  ASSERT_EQ(r->status, 200) << r->body;
  auto req = fakes_["fake"]->last_request();
  EXPECT_FLOAT_EQ(req.sampling.temperature, 0.5f);
  EXPECT_FLOAT_EQ(req.sampling.top_p, 0.9f);
  EXPECT_EQ(req.sampling.seed, 42u);
  EXPECT_FLOAT_EQ(req.sampling.presence_penalty, 0.5f);
  EXPECT_FLOAT_EQ(req.sampling.frequency_penalty, -0.5f);
  EXPECT_FLOAT_EQ(req.sampling.logit_bias.at(7), -100.f);
  EXPECT_EQ(req.stop, (std::vector<std::string>{"w2", "zz"}));
  EXPECT_EQ(req.max_tokens, 4);
  json j = json::parse(r->body);
  EXPECT_EQ(j["choices"][0]["message"]["content"], "w0 w1 ");
  EXPECT_EQ(j["choices"][0]["finish_reason"], "stop");
}

TEST_F(OpenAiApi, ChatStreamingIsOpenAiSse) {
  start();
  auto [status, body] = post_stream("/v1/chat/completions", chat("fake", 3, true));
  ASSERT_EQ(status, 200);
  auto events = sse_data(body);
  // Role chunk, content chunks (tokens that arrive together may share one), finish chunk, [DONE].
  ASSERT_GE(events.size(), 4u) << body;
  EXPECT_EQ(events.back(), "[DONE]");
  json first = json::parse(events[0]);
  EXPECT_EQ(first["object"], "chat.completion.chunk");
  EXPECT_EQ(first["choices"][0]["delta"]["role"], "assistant");
  EXPECT_TRUE(first["choices"][0]["finish_reason"].is_null());
  EXPECT_FALSE(first.contains("usage"));
  std::string text;
  std::string id = first["id"];
  for (size_t i = 1; i + 2 < events.size(); ++i) {
    json e = json::parse(events[i]);
    EXPECT_EQ(e["id"], id);
    EXPECT_TRUE(e["choices"][0]["finish_reason"].is_null());
    text += e["choices"][0]["delta"]["content"].get<std::string>();
  }
  EXPECT_EQ(text, "w0 w1 w2 ");
  json last = json::parse(events[events.size() - 2]);
  EXPECT_EQ(last["choices"][0]["finish_reason"], "length");
  EXPECT_TRUE(last["choices"][0]["delta"].empty());
}

TEST_F(OpenAiApi, StreamIncludeUsageAddsAFinalUsageChunk) {
  start();
  json body = chat("fake", 2, true);
  body["stream_options"] = {{"include_usage", true}};
  auto [status, text] = post_stream("/v1/chat/completions", body);
  ASSERT_EQ(status, 200);
  auto events = sse_data(text);
  ASSERT_GE(events.size(), 4u);
  json usage = json::parse(events[events.size() - 2]);
  EXPECT_TRUE(usage["choices"].empty());
  EXPECT_EQ(usage["usage"]["completion_tokens"], 2);
  EXPECT_EQ(usage["usage"]["prompt_tokens"], 21);
  json before = json::parse(events[events.size() - 3]);
  EXPECT_EQ(before["choices"][0]["finish_reason"], "length");
  EXPECT_TRUE(before["usage"].is_null());
}

TEST_F(OpenAiApi, CompletionsStreamingAndNot) {
  start();
  json body = {{"model", "fake"}, {"prompt", "Once"}, {"max_tokens", 2}};
  auto r = post("/v1/completions", body);
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  EXPECT_EQ(j["object"], "text_completion");
  EXPECT_EQ(j["id"].get<std::string>().rfind("cmpl-", 0), 0u);
  EXPECT_EQ(j["choices"][0]["text"], "w0 w1 ");
  EXPECT_EQ(j["usage"]["prompt_tokens"], 5);
  body["stream"] = true;
  auto [status, text] = post_stream("/v1/completions", body);
  auto events = sse_data(text);
  // Text chunks (tokens that arrive together may share one), the finish chunk, [DONE].
  ASSERT_GE(events.size(), 3u) << text;
  ASSERT_EQ(events.back(), "[DONE]");
  std::string streamed;
  for (size_t i = 0; i + 2 < events.size(); ++i) {
    streamed += json::parse(events[i])["choices"][0]["text"].get<std::string>();
  }
  EXPECT_EQ(streamed, "w0 w1 ");
  EXPECT_EQ(json::parse(events[events.size() - 2])["choices"][0]["finish_reason"], "length");
}

TEST_F(OpenAiApi, CompletionsDefaultToSixteenTokens) {
  start();
  auto r = post("/v1/completions", json{{"model", "fake"}, {"prompt", "x"}});
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["usage"]["completion_tokens"], 16);
}

TEST_F(OpenAiApi, ModelsListsServedModels) {
  start({FakeModelOptions{.name = "a"}, FakeModelOptions{.name = "b:7b"}});
  auto r = client().Get("/v1/models");
  ASSERT_EQ(r->status, 200);
  json j = json::parse(r->body);
  EXPECT_EQ(j["object"], "list");
  ASSERT_EQ(j["data"].size(), 2u);
  EXPECT_EQ(j["data"][0]["id"], "a");
  EXPECT_EQ(j["data"][1]["id"], "b:7b");
  EXPECT_EQ(j["data"][0]["object"], "model");
  r = client().Get("/v1/models/b:7b");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["id"], "b:7b");
  expect_openai_error(client().Get("/v1/models/nope"), 404);
}

TEST_F(OpenAiApi, Embeddings) {
  start();
  auto r = post("/v1/embeddings", json{{"model", "fake"}, {"input", {"a", "bc"}}});
  ASSERT_EQ(r->status, 200) << r->body;
  json j = json::parse(r->body);
  ASSERT_EQ(j["data"].size(), 2u);
  EXPECT_EQ(j["data"][1]["index"], 1);
  EXPECT_EQ(j["data"][0]["embedding"].size(), 2u);
  EXPECT_EQ(j["usage"]["prompt_tokens"], 5);
  expect_openai_error(post("/v1/embeddings", json{{"model", "fake"}, {"input", json::array()}}), 400);
  // The openai SDKs ask for base64 (little-endian float32) by default; bytes from Python's struct.pack('<2f', .6, .8).
  r = post("/v1/embeddings", json{{"model", "fake"}, {"input", "a"}, {"encoding_format", "base64"}});
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["data"][0]["embedding"], "mpkZP83MTD8=");
}

}  // namespace
}  // namespace cellar::server::test
