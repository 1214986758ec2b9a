#pragma once
// The sampler chain: logit bias -> penalties -> (greedy if temperature <= 0)
// -> top-k -> top-p -> min-p -> temperature -> random draw.
#include <cstdint>
#include <random>
#include <span>

#include "sampling/candidates.h"
#include "sampling/sampling_params.h"

namespace cellar {

class Sampler {
 public:
  Sampler(const SamplingParams& params, int32_t n_vocab);
  // logits: [n_vocab] for the next position; history: the sequence so far (prompt + generated).
  int32_t sample(std::span<const float> logits, std::span<const int32_t> history);
  const SamplingParams& params() const { return params_; }

 private:
  SamplingParams params_;
  int32_t n_vocab_;
  std::mt19937_64 rng_;
  Candidates cand_;
};

}  // namespace cellar
