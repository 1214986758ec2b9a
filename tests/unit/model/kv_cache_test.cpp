// The KV cache's element types: Q8_0 (--kv-type q8_0) must halve the cache
// and keep the logits close to the F16 cache's; types and shapes it cannot
// hold are refused with a message, never an assertion.
#include "model/kv_cache.h"

#include <gtest/gtest.h>

#include <cmath>

#include "model/context.h"
#include "model/synth.h"
#include "support/test_support.h"

namespace cellar {
namespace {

// Logits of every position of `prompt` run as one sequence in slot `slot`.
std::vector<float> all_logits(InferenceContext& ctx, const std::vector<int32_t>& prompt, int slot) {
  std::vector<BatchToken> batch;
  for (size_t i = 0; i < prompt.size(); ++i) batch.push_back({prompt[i], slot, static_cast<int32_t>(i), true});
  auto l = ctx.forward(batch);
  return {l.begin(), l.end()};
}

double relative_rms(const std::vector<float>& a, const std::vector<float>& b) {
  double num = 0, den = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    num += (static_cast<double>(a[i]) - b[i]) * (static_cast<double>(a[i]) - b[i]);
    den += static_cast<double>(a[i]) * a[i];
  }
  return std::sqrt(num / den);
}

class KvCacheTypes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    path_ = (*dir_ / "tiny.gguf").string();  // head_dim 64, 2 KV heads for 4 query heads
    write_synth_model({*find_shape("tiny"), *find_file_type("F16"), 11, 1}, path_);
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::vector<int32_t> prompt() {
    std::vector<int32_t> p = {1};
    for (int i = 0; i < 47; ++i) p.push_back(100 + (i * 37) % 800);
    return p;
  }
  static test::TempDir* dir_;
  static std::string path_;
};
test::TempDir* KvCacheTypes::dir_ = nullptr;
std::string KvCacheTypes::path_;

TEST_F(KvCacheTypes, Q8_0KeepsLogitsCloseToF16AndHalvesTheCache) {
  auto model = Model::load(path_);
  InferenceContext f16(model, {.n_ctx = 64, .n_slots = 2, .n_threads = 2});
  InferenceContext q8(model, {.n_ctx = 64, .n_slots = 2, .n_threads = 2, .kv_type = GgmlType::Q8_0});
  EXPECT_EQ(q8.kv_bytes() * 64, f16.kv_bytes() * 34) << "Q8_0 stores 34 bytes per 32 values, F16 64";
  const auto a = all_logits(f16, prompt(), 1), b = all_logits(q8, prompt(), 1);
  ASSERT_EQ(a.size(), b.size());
  const double err = relative_rms(a, b);
  EXPECT_LT(err, 0.02) << "relative RMS error of the logits with a Q8_0 cache";
  EXPECT_GT(err, 0.0) << "the Q8_0 cache gave the F16 cache's exact logits: was it used?";
}

TEST_F(KvCacheTypes, Q8_0DecodeStepMatchesThePrefillOfTheSameTokens) {
  auto model = Model::load(path_);
  InferenceContext whole(model, {.n_ctx = 64, .n_slots = 1, .n_threads = 2, .kv_type = GgmlType::Q8_0});
  InferenceContext steps(model, {.n_ctx = 64, .n_slots = 1, .n_threads = 2, .kv_type = GgmlType::Q8_0});
  const auto p = prompt();
  const auto want = all_logits(whole, p, 0);
  const size_t n_vocab = want.size() / p.size();
  std::vector<BatchToken> head;
  for (size_t i = 0; i + 1 < p.size(); ++i) head.push_back({p[i], 0, static_cast<int32_t>(i), false});
  steps.forward(head);
  const BatchToken last{p.back(), 0, static_cast<int32_t>(p.size() - 1), true};
  const auto got = steps.forward(std::span<const BatchToken>(&last, 1));
  const std::vector<float> tail(want.end() - static_cast<std::ptrdiff_t>(n_vocab), want.end());
  EXPECT_LT(relative_rms(tail, {got.begin(), got.end()}), 1e-4) << "the cached keys of earlier calls must be read back";
}

TEST(KvCache, RefusesTypesAndShapesItCannotHold) {
  EXPECT_THROW(KvCache(1, 1, 8, 64, GgmlType::Q4_0), std::invalid_argument);
  EXPECT_THROW(KvCache(1, 1, 8, 48, GgmlType::Q8_0), std::invalid_argument);
  EXPECT_EQ(KvCache(1, 1, 8, 64, GgmlType::Q8_0).row_bytes(), 68u);
  EXPECT_EQ(KvCache::type_from_name("Q8_0"), GgmlType::Q8_0);
  EXPECT_EQ(KvCache::type_from_name("f16"), GgmlType::F16);
  EXPECT_FALSE(KvCache::type_from_name("q4_0"));
  EXPECT_FALSE(KvCache::type_from_name(""));
  EXPECT_EQ(KvCache::bytes_per_sequence(22, 2048, 256, GgmlType::F16), 2ull * 22 * 2048 * 512);
}

TEST(KvCache, Q8_0NeedsHeadsOfWholeBlocks) {
  CELLAR_REQUIRE_REFDATA();
  auto model = Model::load((test::refdata_dir() / "models" / "stories260K.gguf").string());  // head_dim 8
  try {
    InferenceContext ctx(model, {.n_ctx = 16, .n_slots = 1, .n_threads = 1, .kv_type = GgmlType::Q8_0});
    FAIL() << "a Q8_0 cache for head_dim 8 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("head size"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cellar
