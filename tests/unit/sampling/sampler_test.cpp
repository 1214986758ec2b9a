#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

#include "sampling/sampler.h"
#include "sampling/samplers.h"

namespace cellar {
namespace {

std::vector<float> ramp(int n) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = static_cast<float>(i % 7) * 0.5f - static_cast<float>(i) * 0.01f;
  return v;
}

TEST(Sampler, GreedyPicksArgmaxLowestIdOnTies) {
  SamplingParams p;
  p.temperature = 0;
  Sampler s(p, 5);
  std::vector<float> logits = {1, 3, 3, 2, 0};
  EXPECT_EQ(s.sample(logits, {}), 1);
}

TEST(Sampler, SameSeedSameSequenceDifferentSeedDiffers) {
  SamplingParams p;
  p.temperature = 1.5f;
  p.top_k = 0;
  p.top_p = 1;
  p.min_p = 0;
  auto logits = ramp(200);
  auto run = [&](uint64_t seed) {
    p.seed = seed;
    Sampler s(p, 200);
    std::vector<int32_t> out;
    for (int i = 0; i < 50; ++i) out.push_back(s.sample(logits, out));
    return out;
  };
  EXPECT_EQ(run(42), run(42));
  EXPECT_NE(run(42), run(43));
}

TEST(Sampler, TopKRestrictsToKBest) {
  SamplingParams p;
  p.temperature = 1.0f;
  p.top_k = 2;
  p.top_p = 1;
  p.min_p = 0;
  p.seed = 1;
  Sampler s(p, 6);
  std::vector<float> logits = {0, 5, 1, 4.9f, 2, 3};
  for (int i = 0; i < 200; ++i) {
    int32_t t = s.sample(logits, {});
    EXPECT_TRUE(t == 1 || t == 3) << t;
  }
}

TEST(Samplers, TopPKeepsSmallestNucleus) {
  Candidates c;
  // probabilities ~ 0.665, 0.245, 0.09
  std::vector<float> logits = {2, 1, 0};
  c.reset(logits);
  apply_top_p(c, 0.7f);
  EXPECT_EQ(c.size(), 2u);
  c.reset(logits);
  apply_top_p(c, 0.5f);
  EXPECT_EQ(c.size(), 1u);
}

// Unsorted candidates take partial sorts (top_p) or a filter (min_p); they
// must keep exactly what sorting every candidate first keeps, in the same
// order. Flat logits need a nucleus beyond the first partial sorts (64, 256).
TEST(Samplers, TopPAndMinPWithoutAFullSortKeepWhatAFullSortKeeps) {
  std::mt19937 rng(11);
  for (float spread : {8.0f, 1.0f, 0.05f}) {
    std::normal_distribution<float> dist(0.0f, spread);
    std::vector<float> logits(32000);
    for (auto& l : logits) l = dist(rng);
    logits[123] = logits[456];  // a tie, broken by id
    for (float p : {0.5f, 0.9f, 0.999f}) {
      Candidates fast, full;
      fast.reset(logits);
      full.reset(logits);
      full.sort_desc(full.size());
      apply_top_p(fast, p);
      apply_top_p(full, p);
      EXPECT_EQ(fast.ids, full.ids) << "top_p " << p << " spread " << spread;
      EXPECT_EQ(fast.logits, full.logits);
      if (spread < 0.1f) {
        EXPECT_GT(fast.size(), 256u);
      }
      fast.reset(logits);
      full.reset(logits);
      full.sort_desc(full.size());
      apply_min_p(fast, 1.0f - p);
      apply_min_p(full, 1.0f - p);
      EXPECT_EQ(fast.ids, full.ids) << "min_p " << 1.0f - p << " spread " << spread;
      EXPECT_TRUE(fast.sorted);
    }
  }
}

TEST(Samplers, MinPDropsUnlikelyTokens) {
  Candidates c;
  std::vector<float> logits = {0, std::log(0.5f), std::log(0.04f)};
  c.reset(logits);
  apply_min_p(c, 0.05f);
  EXPECT_EQ(c.size(), 2u);
}

TEST(Samplers, PenaltiesAndBias) {
  Candidates c;
  std::vector<float> logits = {2, -2, 1, 1};
  c.reset(logits);
  std::vector<int32_t> hist = {0, 1, 2, 2};
  apply_penalties(c, hist, -1, 2.0f, 0.5f, 0.25f);
  EXPECT_FLOAT_EQ(c.logits[0], 2.f / 2 - 0.5f - 0.25f);
  EXPECT_FLOAT_EQ(c.logits[1], -2.f * 2 - 0.5f - 0.25f);
  EXPECT_FLOAT_EQ(c.logits[2], 1.f / 2 - 1.0f - 0.25f);
  EXPECT_FLOAT_EQ(c.logits[3], 1.f);
  apply_logit_bias(c, {{3, -100.f}});
  EXPECT_FLOAT_EQ(c.logits[3], -99.f);
}

TEST(Samplers, PenaltyWindowOnlyCountsRecentTokens) {
  Candidates c;
  std::vector<float> logits = {1, 1};
  c.reset(logits);
  std::vector<int32_t> hist = {0, 1};
  apply_penalties(c, hist, 1, 1.0f, 1.0f, 0.0f);
  EXPECT_FLOAT_EQ(c.logits[0], 1.f);
  EXPECT_FLOAT_EQ(c.logits[1], 0.f);
}

TEST(Sampler, LogitBiasCanForceAToken) {
  SamplingParams p;
  p.temperature = 0.7f;
  p.seed = 3;
  p.logit_bias = {{4, 100.f}};
  Sampler s(p, 10);
  auto logits = ramp(10);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(s.sample(logits, {}), 4);
}

TEST(SamplingParams, ValidationNamesTheField) {
  SamplingParams p;
  p.temperature = -1;
  try {
    p.validate(10);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("temperature"), std::string::npos);
  }
  p = {};
  p.logit_bias = {{10, 1.f}};
  EXPECT_THROW(p.validate(10), std::invalid_argument);
  p = {};
  p.top_p = 0;
  EXPECT_THROW(p.validate(10), std::invalid_argument);
  EXPECT_NO_THROW(SamplingParams{}.validate(10));
}

}  // namespace
}  // namespace cellar
