#include <algorithm>
#include <cmath>
#include <numeric>

#include "sampling/samplers.h"

namespace cellar {
namespace {

// The nucleus of unsorted candidates without sorting them all. A linear
// selection finds the best 128 (then 2048) candidates; once their mass
// clearly reaches p, only they are sorted and scanned exactly as a sorted
// list would be, so the same tokens are kept (probabilities as softmax()
// computes them: float exp, double sum, float ratio). Otherwise every
// candidate is sorted. The nucleus is usually a few dozen tokens; a full
// sort of a 32k vocabulary cost ~3.5 ms a token.
void keep_nucleus(Candidates& c, float p) {
  const size_t n = c.size();
  const float mx = *std::max_element(c.logits.begin(), c.logits.end());
  std::vector<float> e(n);  // [n] exp(logit - max)
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    e[i] = std::exp(c.logits[i] - mx);
    sum += e[i];
  }
  auto prob = [&](size_t i) { return static_cast<float>(e[i] / sum); };
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  size_t k = n;
  for (size_t probe : {size_t{128}, size_t{2048}}) {
    if (probe >= n) break;
    c.select_indices(order, probe);
    double mass = 0;
    for (size_t i = 0; i < probe; ++i) mass += prob(order[i]);
    // The margin covers summing in another order than the sorted scan below.
    if (mass >= static_cast<double>(p) + 1e-6) {
      k = probe;
      break;
    }
  }
  order.resize(k);
  c.sort_indices(order, k);
  size_t keep = k;
  double cum = 0;
  for (size_t i = 0; i < k; ++i) {
    cum += prob(order[i]);
    if (cum >= p) {
      keep = i + 1;
      break;
    }
  }
  std::vector<float> probs(keep);  // [keep] as softmax() over every candidate gives them
  for (size_t i = 0; i < keep; ++i) probs[i] = prob(order[i]);
  c.keep_sorted(order, keep);
  c.probs = std::move(probs);
}

}  // namespace

// Nucleus sampling: keep the smallest prefix whose probability mass reaches p.
void apply_top_p(Candidates& c, float p) {
  if (p >= 1.0f || c.size() <= 1) return;
  if (!c.sorted) return keep_nucleus(c, p);
  c.softmax();
  double cum = 0;
  size_t keep = c.size();
  for (size_t i = 0; i < c.size(); ++i) {
    cum += c.probs[i];
    if (cum >= p) {
      keep = i + 1;
      break;
    }
  }
  c.truncate(keep);
}

}  // namespace cellar
