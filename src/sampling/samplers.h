#pragma once
// The individual samplers of the chain; each one is its own file.
#include <cstdint>
#include <map>
#include <random>
#include <span>

#include "sampling/candidates.h"

namespace cellar {

// logit += bias[id] (OpenAI logit_bias; -100 effectively bans a token).
void apply_logit_bias(Candidates& c, const std::map<int32_t, float>& bias);
// Repetition (llama.cpp style), frequency and presence (OpenAI style) penalties
// over the last `window` tokens of `history` (-1 = all).
void apply_penalties(Candidates& c, std::span<const int32_t> history, int window, float repeat, float frequency,
                     float presence);
void apply_top_k(Candidates& c, int k);
void apply_top_p(Candidates& c, float p);
void apply_min_p(Candidates& c, float p);
void apply_temperature(Candidates& c, float t);
int32_t pick_greedy(const Candidates& c);
int32_t pick_random(Candidates& c, std::mt19937_64& rng);

}  // namespace cellar
