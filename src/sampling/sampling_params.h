#pragma once
// User-facing sampling settings, validated at the boundary (HTTP / CLI)
// before they reach the sampler chain.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace cellar {

struct SamplingParams {
  float temperature = 0.8f;         // <= 0 means greedy (argmax)
  int top_k = 40;                   // <= 0 disables
  float top_p = 0.95f;              // >= 1 disables
  float min_p = 0.05f;              // <= 0 disables
  float repeat_penalty = 1.0f;      // 1 disables (llama.cpp-style: divide positive logits)
  int repeat_last_n = 64;           // window for all penalties; -1 = whole history
  float frequency_penalty = 0.0f;   // OpenAI-style: logit -= count * frequency_penalty
  float presence_penalty = 0.0f;    // OpenAI-style: logit -= (count > 0) * presence_penalty
  std::map<int32_t, float> logit_bias;
  std::optional<uint64_t> seed;     // same seed + same input => same output

  // Throws std::invalid_argument with a message naming the field and its allowed range.
  void validate(int32_t n_vocab) const;
};

}  // namespace cellar
