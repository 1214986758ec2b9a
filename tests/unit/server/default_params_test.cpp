// A deployment's default sampling parameters fill what a request leaves
// unset, on the OpenAI and Ollama routes; the request's own values win.
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace cellar::server::test {
namespace {

class DefaultParams : public ServerFixture {
 protected:
  void SetUp() override {
    FakeModelOptions o;
    o.parameters = {{"temperature", 0}, {"top_k", 7}, {"top_p", 0.5}, {"seed", 42},
                    {"max_tokens", 3},  {"stop", "w9"}, {"repeat_last_n", 16}};
    FakeModelOptions big;
    big.name = "big";
    big.parameters = {{"max_tokens", 100000}};
    start({o, big});
  }
  engine::GenerationRequest last(const std::string& model = "fake") { return fakes_[model]->last_request(); }
  static json user_hi() { return json::array({{{"role", "user"}, {"content", "hi"}}}); }
};

TEST_F(DefaultParams, OpenAiRequestWithoutSamplingFieldsGetsTheDeploymentDefaults) {
  auto r = post("/v1/chat/completions", json{{"model", "fake"}, {"messages", user_hi()}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto req = last();
  EXPECT_EQ(req.sampling.temperature, 0.0f);
  EXPECT_EQ(req.sampling.top_k, 7);
  EXPECT_FLOAT_EQ(req.sampling.top_p, 0.5f);
  EXPECT_EQ(req.sampling.seed, 42u);
  EXPECT_EQ(req.sampling.repeat_last_n, 16);
  EXPECT_EQ(req.max_tokens, 3);
  EXPECT_EQ(req.stop, std::vector<std::string>{"w9"});
  EXPECT_EQ(json::parse(r->body)["usage"]["completion_tokens"], 3);
}

TEST_F(DefaultParams, OpenAiRequestFieldsWinOverTheDefaults) {
  json body = {{"model", "fake"}, {"messages", user_hi()}, {"temperature", 0.7}, {"max_completion_tokens", 5},
               {"stop", json::array({"x", "y"})}};
  auto r = post("/v1/chat/completions", body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  auto req = last();
  EXPECT_FLOAT_EQ(req.sampling.temperature, 0.7f);
  EXPECT_EQ(req.max_tokens, 5);
  EXPECT_EQ(req.stop, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(req.sampling.top_k, 7);  // not in the request: still the default
}

TEST_F(DefaultParams, LegacyCompletionsUseTheDefaultMaxTokensInsteadOf16) {
  auto r = post("/v1/completions", json{{"model", "fake"}, {"prompt", "hi"}, {"top_p", 0.9}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(last().max_tokens, 3);
  EXPECT_FLOAT_EQ(last().sampling.top_p, 0.9f);
  EXPECT_EQ(last().sampling.temperature, 0.0f);
}

TEST_F(DefaultParams, OllamaOptionsWinAndNumPredictStandsForMaxTokens) {
  json body = {{"model", "fake"}, {"messages", user_hi()}, {"stream", false},
               {"options", {{"temperature", 1.5}, {"num_predict", 2}}}};
  auto r = post("/api/chat", body);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_FLOAT_EQ(last().sampling.temperature, 1.5f);
  EXPECT_EQ(last().max_tokens, 2);
  EXPECT_EQ(last().sampling.top_k, 7);

  r = post("/api/generate", json{{"model", "fake"}, {"prompt", "hi"}, {"stream", false}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(last().sampling.temperature, 0.0f);
  EXPECT_EQ(last().max_tokens, 3);
  EXPECT_EQ(last().stop, std::vector<std::string>{"w9"});
}

TEST_F(DefaultParams, DefaultMaxTokensBeyondTheContextIsCutToTheRoomLeft) {
  auto r = post("/v1/chat/completions", json{{"model", "big"}, {"messages", user_hi()}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const auto prompt_tokens = json::parse(r->body)["usage"]["prompt_tokens"].get<int>();
  EXPECT_EQ(last("big").max_tokens, fakes_["big"]->info().n_ctx - prompt_tokens);
  // The same number asked for by the request itself does not fit: 400.
  expect_openai_error(post("/v1/chat/completions", json{{"model", "big"}, {"messages", user_hi()},
                                                        {"max_tokens", 100000}}), 400);
}

}  // namespace
}  // namespace cellar::server::test
