#include "sampling/samplers.h"

namespace cellar {

int32_t pick_greedy(const Candidates& c) {
  size_t best = 0;
  for (size_t i = 1; i < c.size(); ++i) {
    if (c.logits[i] > c.logits[best] || (c.logits[i] == c.logits[best] && c.ids[i] < c.ids[best])) best = i;
  }
  return c.ids[best];
}

int32_t pick_random(Candidates& c, std::mt19937_64& rng) {
  c.softmax();
  // Our own inverse-CDF draw: std::discrete_distribution's algorithm is
  // implementation-defined, and the same seed must give the same output everywhere.
  const double u = static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);
  double cum = 0;
  for (size_t i = 0; i < c.size(); ++i) {
    cum += c.probs[i];
    if (u < cum) return c.ids[i];
  }
  return c.ids.back();
}

}  // namespace cellar
