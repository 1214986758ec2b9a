// Every bad-input case of the server issue answers with the right status in
// OpenAI's error shape (Ollama routes: {"error": "..."}), never a hang or crash.
#include "server_fixture.h"

namespace cellar::server::test {
namespace {

class BadInput : public ServerFixture {
 protected:
  void SetUp() override {
    ApiServerOptions o;
    o.http.max_body_bytes = 4096;
    start({FakeModelOptions{.n_ctx = 64}}, o);
  }
  json error_for(const json& patch, int status = 400) {
    json body = chat("fake", 4);
    body.merge_patch(patch);
    return expect_openai_error(post("/v1/chat/completions", body), status);
  }
};

TEST_F(BadInput, MalformedJson) {
  auto e = expect_openai_error(post("/v1/chat/completions", std::string("{\"model\": \"fake\", ")), 400);
  EXPECT_EQ(e["type"], "invalid_request_error");
  EXPECT_NE(e["message"].get<std::string>().find("not valid JSON"), std::string::npos);
  expect_openai_error(post("/v1/chat/completions", std::string("")), 400);
  expect_openai_error(post("/v1/chat/completions", std::string("[1,2]")), 400);
}

TEST_F(BadInput, InvalidUtf8) {
  std::string body = R"({"model":"fake","messages":[{"role":"user","content":"bad )" + std::string("\xC3\x28") +
                     R"("}],"max_tokens":2})";
  auto e = expect_openai_error(post("/v1/chat/completions", body), 400);
  EXPECT_NE(e["message"].get<std::string>().find("UTF-8"), std::string::npos) << e;
}

TEST_F(BadInput, WrongFieldTypes) {
  EXPECT_EQ(error_for({{"temperature", "hot"}})["param"], "temperature");
  EXPECT_EQ(error_for({{"max_tokens", "10"}})["param"], "max_tokens");
  EXPECT_EQ(error_for({{"max_tokens", 2.5}})["param"], "max_tokens");
  EXPECT_EQ(error_for({{"stream", "yes"}})["param"], "stream");
  EXPECT_EQ(error_for({{"messages", "hi"}})["param"], "messages");
  EXPECT_EQ(error_for({{"messages", {{{"role", "user"}, {"content", 5}}}}})["param"], "messages[0].content");
  EXPECT_EQ(error_for({{"messages", {{{"role", "wizard"}, {"content", "x"}}}}})["param"], "messages[0].role");
  EXPECT_EQ(error_for({{"stop", {1, 2}}})["param"], "stop");
  EXPECT_EQ(error_for({{"logit_bias", {{"abc", 1}}}})["param"], "logit_bias");
  EXPECT_EQ(error_for({{"model", 7}})["param"], "model");
}

TEST_F(BadInput, MissingOrEmptyMessages) {
  json body = {{"model", "fake"}};
  EXPECT_EQ(expect_openai_error(post("/v1/chat/completions", body), 400)["param"], "messages");
  EXPECT_EQ(error_for({{"messages", json::array()}})["param"], "messages");
  expect_openai_error(post("/v1/chat/completions", json{{"messages", {{{"role", "user"}, {"content", "x"}}}}}), 400);
}

TEST_F(BadInput, UnknownModelIs404ModelNotFound) {
  auto e = error_for({{"model", "nope"}}, 404);
  EXPECT_EQ(e["code"], "model_not_found");
  EXPECT_EQ(e["param"], "model");
  EXPECT_EQ(error_for({{"model", "../etc/passwd"}})["param"], "model");
  EXPECT_EQ(error_for({{"model", std::string(65, 'a')}})["param"], "model");
}

TEST_F(BadInput, EmptyPrompt) {
  auto e = expect_openai_error(post("/v1/completions", json{{"model", "fake"}, {"prompt", ""}}), 400);
  EXPECT_EQ(e["param"], "prompt");
  expect_openai_error(post("/v1/completions", json{{"model", "fake"}}), 400);
}

TEST_F(BadInput, NegativeZeroAndHugeMaxTokens) {
  EXPECT_EQ(error_for({{"max_tokens", -1}})["param"], "max_tokens");
  EXPECT_EQ(error_for({{"max_tokens", 0}})["param"], "max_tokens");
  auto e = error_for({{"max_tokens", 1000000}});
  EXPECT_NE(e["message"].get<std::string>().find("64"), std::string::npos) << e;
  e = error_for({{"max_tokens", 1e300}});
  EXPECT_EQ(e["param"], "max_tokens");
  EXPECT_EQ(error_for({{"seed", 9.3e18}})["param"], "seed");
  e = error_for({{"max_tokens", 50}});  // 21 prompt tokens + 50 > 64
  std::string msg = e["message"];
  EXPECT_NE(msg.find("maximum context length is 64 tokens"), std::string::npos) << msg;
  EXPECT_NE(msg.find("21 in the prompt"), std::string::npos) << msg;
  EXPECT_EQ(error_for({{"max_completion_tokens", -5}})["param"], "max_completion_tokens");
}

TEST_F(BadInput, PromptLongerThanContextIsRefusedNotTruncated) {
  auto e = expect_openai_error(post("/v1/completions", json{{"model", "fake"}, {"prompt", std::string(100, 'x')}}),
                               400);
  EXPECT_NE(e["message"].get<std::string>().find("101 tokens"), std::string::npos) << e;
  EXPECT_EQ(fakes_["fake"]->submitted(), 0);
}

TEST_F(BadInput, SamplingOutOfRange) {
  EXPECT_EQ(error_for({{"temperature", 2.5}})["param"], "temperature");
  EXPECT_EQ(error_for({{"temperature", -0.1}})["param"], "temperature");
  EXPECT_EQ(error_for({{"top_p", 1.5}})["param"], "top_p");
  EXPECT_EQ(error_for({{"presence_penalty", 3}})["param"], "presence_penalty");
  EXPECT_EQ(error_for({{"logit_bias", {{"5", 101}}}})["param"], "logit_bias");
  EXPECT_EQ(error_for({{"logit_bias", {{"100", 1}}}})["param"], "logit_bias");  // vocabulary is 100
}

TEST_F(BadInput, CapsOnNStopAndLogprobs) {
  EXPECT_EQ(error_for({{"n", 2}})["param"], "n");
  EXPECT_EQ(error_for({{"stop", {"a", "b", "c", "d", "e"}}})["param"], "stop");
  EXPECT_EQ(error_for({{"stop", std::string(300, 's')}})["param"], "stop");
  EXPECT_EQ(error_for({{"logprobs", true}})["param"], "logprobs");
  EXPECT_EQ(error_for({{"top_logprobs", 50}})["param"], "top_logprobs");
  EXPECT_EQ(error_for({{"response_format", {{"type", "json_object"}}}})["param"], "response_format");
  json fine = chat("fake", 2);
  fine.merge_patch({{"n", 1}, {"logprobs", false}});
  auto r = post("/v1/chat/completions", fine);
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST_F(BadInput, OversizedBodyIs413) {
  json body = chat("fake", 2);
  body["messages"][0]["content"] = std::string(8000, 'x');
  auto e = expect_openai_error(post("/v1/chat/completions", body), 413);
  EXPECT_NE(e["message"].get<std::string>().find("4096"), std::string::npos);
}

TEST_F(BadInput, UnknownRouteIs404AndWrongMethodIs405) {
  auto r = client().Get("/v1/nothing");
  expect_openai_error(r, 404);
  r = client().Get("/v1/chat/completions");
  expect_openai_error(r, 405);
  EXPECT_EQ(r->get_header_value("Allow"), "POST");
  r = client().Post("/v1/models", "{}", "application/json");
  expect_openai_error(r, 405);
  r = client().Delete("/v1/completions");
  expect_openai_error(r, 405);
}

TEST_F(BadInput, OllamaRoutesAnswerInOllamaShape) {
  auto r = post("/api/chat", json{{"model", "nope"}, {"messages", {{{"role", "user"}, {"content", "x"}}}}});
  ASSERT_EQ(r->status, 404);
  EXPECT_TRUE(json::parse(r->body)["error"].is_string());
  r = post("/api/generate", std::string("{not json"));
  ASSERT_EQ(r->status, 400);
  EXPECT_TRUE(json::parse(r->body)["error"].is_string());
  r = post("/api/generate", json{{"model", "fake"}, {"prompt", "x"}, {"options", {{"temperature", "hot"}}}});
  ASSERT_EQ(r->status, 400);
  EXPECT_NE(json::parse(r->body)["error"].get<std::string>().find("options.temperature"), std::string::npos);
}

TEST_F(BadInput, ServerStaysUpAfterBadInput) {
  post("/v1/chat/completions", std::string("\xff\xfe\x00garbage", 10));
  auto r = post("/v1/chat/completions", chat("fake", 1));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

}  // namespace
}  // namespace cellar::server::test
