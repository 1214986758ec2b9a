// Golden end-to-end check against llama.cpp on a real model (stories260K):
// last-position logits within 1e-3 and 64 greedy tokens identical.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "kernels/kernels.h"
#include "model/context.h"
#include "support/test_support.h"

namespace cellar {
namespace {

struct Case {
  std::vector<int32_t> prompt;
  std::vector<int32_t> expected;
};

std::vector<Case> load_cases() {
  std::vector<Case> out;
  std::ifstream in(test::refdata_dir() / "models" / "stories260K.greedy.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    out.push_back({j["prompt_ids"].get<std::vector<int32_t>>(), j["generated_ids"].get<std::vector<int32_t>>()});
  }
  return out;
}

std::vector<float> read_f32(const std::filesystem::path& p) {
  std::string bytes = test::read_file(p);
  std::vector<float> v(bytes.size() / 4);
  std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

int32_t argmax(std::span<const float> v) {
  return static_cast<int32_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

class ReferenceModel : public ::testing::Test {
 protected:
  void SetUp() override {
    if (test::refdata_dir().empty()) GTEST_SKIP() << "reference data not found (CELLAR_REFDATA)";
    model_ = Model::load((test::refdata_dir() / "models" / "stories260K.gguf").string());
  }
  std::shared_ptr<Model> model_;
};

TEST_F(ReferenceModel, HyperParameters) {
  const auto& hp = model_->hparams();
  EXPECT_EQ(hp.n_layer, 5);
  EXPECT_EQ(hp.n_embd, 64);
  EXPECT_EQ(hp.n_head, 8);
  EXPECT_EQ(hp.n_head_kv, 4);
  EXPECT_EQ(hp.head_dim, 8);
  EXPECT_EQ(hp.n_ff, 172);
  EXPECT_EQ(hp.n_vocab, 512);
  EXPECT_FALSE(hp.tied_embeddings);
}

TEST_F(ReferenceModel, LogitsMatchLlamaCppOnEveryIsa) {
  auto cases = load_cases();
  ASSERT_FALSE(cases.empty());
  for (kernels::Isa isa : {kernels::Isa::kScalar, kernels::Isa::kAvx2, kernels::Isa::kAvx512}) {
    if (!kernels::isa_available(isa)) continue;
    kernels::set_isa(isa);
    for (size_t i = 0; i < cases.size(); ++i) {
      auto path = test::refdata_dir() / "models" / "stories260K-logits" / ("prompt" + std::to_string(i) + ".f32");
      if (!std::filesystem::exists(path)) continue;
      InferenceContext ctx(model_, {.n_ctx = 256, .n_slots = 1, .n_threads = 2});
      std::vector<BatchToken> batch;
      for (size_t p = 0; p < cases[i].prompt.size(); ++p) {
        batch.push_back({cases[i].prompt[p], 0, static_cast<int32_t>(p), p + 1 == cases[i].prompt.size()});
      }
      auto logits = ctx.forward(batch);
      auto expected = read_f32(path);
      ASSERT_EQ(logits.size(), expected.size());
      float max_diff = 0;
      for (size_t k = 0; k < expected.size(); ++k) max_diff = std::max(max_diff, std::fabs(logits[k] - expected[k]));
      EXPECT_LT(max_diff, 1e-3f) << "prompt " << i << " on " << kernels::isa_name(isa);
    }
  }
  kernels::set_isa(kernels::detected_isa());
}

TEST_F(ReferenceModel, GreedyContinuationMatchesLlamaCpp) {
  for (const auto& c : load_cases()) {
    // One thread: a 260K-parameter model is all synchronisation otherwise.
    InferenceContext ctx(model_, {.n_ctx = 256, .n_slots = 1, .n_threads = 1});
    std::vector<BatchToken> batch;
    for (size_t p = 0; p < c.prompt.size(); ++p) {
      batch.push_back({c.prompt[p], 0, static_cast<int32_t>(p), p + 1 == c.prompt.size()});
    }
    int32_t next = argmax(ctx.forward(batch));
    std::vector<int32_t> got;
    int32_t pos = static_cast<int32_t>(c.prompt.size());
    while (got.size() < c.expected.size()) {
      got.push_back(next);
      BatchToken t{next, 0, pos++, true};
      next = argmax(ctx.forward({&t, 1}));
    }
    EXPECT_EQ(got, c.expected);
  }
}

// Decoding several sequences in one batch must give each the same logits as alone.
TEST_F(ReferenceModel, BatchedSlotsMatchSingleSequences) {
  auto cases = load_cases();
  ASSERT_GE(cases.size(), 2u);
  InferenceContext multi(model_, {.n_ctx = 64, .n_slots = 2, .n_threads = 2});
  std::vector<BatchToken> batch;
  for (int s = 0; s < 2; ++s) {
    for (size_t p = 0; p < cases[s].prompt.size(); ++p) {
      batch.push_back({cases[s].prompt[p], s, static_cast<int32_t>(p), p + 1 == cases[s].prompt.size()});
    }
  }
  auto both = multi.forward(batch);
  std::vector<float> both_copy(both.begin(), both.end());
  for (int s = 0; s < 2; ++s) {
    InferenceContext single(model_, {.n_ctx = 64, .n_slots = 1, .n_threads = 1});
    std::vector<BatchToken> b;
    for (size_t p = 0; p < cases[s].prompt.size(); ++p) {
      b.push_back({cases[s].prompt[p], 0, static_cast<int32_t>(p), p + 1 == cases[s].prompt.size()});
    }
    auto one = single.forward(b);
    for (size_t k = 0; k < one.size(); ++k) EXPECT_NEAR(one[k], both_copy[s * 512 + k], 1e-4f);
  }
}

TEST_F(ReferenceModel, RejectsOutOfRangeInput) {
  InferenceContext ctx(model_, {.n_ctx = 8, .n_slots = 1, .n_threads = 1});
  BatchToken bad_token{512, 0, 0, true};
  EXPECT_THROW(ctx.forward({&bad_token, 1}), std::invalid_argument);
  BatchToken bad_pos{1, 0, 8, true};
  EXPECT_THROW(ctx.forward({&bad_pos, 1}), std::invalid_argument);
}

}  // namespace
}  // namespace cellar
