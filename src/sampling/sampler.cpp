#include "sampling/sampler.h"

#include <stdexcept>

#include "sampling/samplers.h"

namespace cellar {

Sampler::Sampler(const SamplingParams& params, int32_t n_vocab) : params_(params), n_vocab_(n_vocab) {
  rng_.seed(params.seed ? *params.seed : std::random_device{}());
}

int32_t Sampler::sample(std::span<const float> logits, std::span<const int32_t> history) {
  if (static_cast<int32_t>(logits.size()) != n_vocab_) throw std::logic_error("sampler: logits size != n_vocab");
  cand_.reset(logits);
  apply_logit_bias(cand_, params_.logit_bias);
  apply_penalties(cand_, history, params_.repeat_last_n, params_.repeat_penalty, params_.frequency_penalty,
                  params_.presence_penalty);
  if (params_.temperature <= 0.0f) return pick_greedy(cand_);
  apply_top_k(cand_, params_.top_k);
  apply_top_p(cand_, params_.top_p);
  apply_min_p(cand_, params_.min_p);
  apply_temperature(cand_, params_.temperature);
  return pick_random(cand_, rng_);
}

}  // namespace cellar
