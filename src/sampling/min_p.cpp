#include <algorithm>
#include <cmath>

#include "sampling/samplers.h"

namespace cellar {

// Keep tokens whose probability is at least p times the top token's:
// p_i >= p * p_max  <=>  logit_i >= logit_max + ln(p). Unsorted candidates
// are filtered first and only the survivors sorted (usually a handful; a
// full sort of the vocabulary cost milliseconds a token).
void apply_min_p(Candidates& c, float p) {
  if (p <= 0.0f || c.size() <= 1) return;
  if (!c.sorted) {
    const float threshold = *std::max_element(c.logits.begin(), c.logits.end()) + std::log(p);
    std::vector<size_t> order;
    for (size_t i = 0; i < c.size(); ++i) {
      if (c.logits[i] >= threshold) order.push_back(i);
    }
    c.sort_indices(order, order.size());
    c.keep_sorted(order, order.size());
    return;
  }
  const float threshold = c.logits[0] + std::log(p);
  size_t keep = 1;
  while (keep < c.size() && c.logits[keep] >= threshold) ++keep;
  c.truncate(keep);
}

}  // namespace cellar
