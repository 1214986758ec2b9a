#include <cmath>

#include "sampling/samplers.h"

namespace cellar {

// Keep tokens whose probability is at least p times the top token's:
// p_i >= p * p_max  <=>  logit_i >= logit_max + ln(p).
void apply_min_p(Candidates& c, float p) {
  if (p <= 0.0f || c.size() <= 1) return;
  c.sort_desc(c.size());
  const float threshold = c.logits[0] + std::log(p);
  size_t keep = 1;
  while (keep < c.size() && c.logits[keep] >= threshold) ++keep;
  c.truncate(keep);
}

}  // namespace cellar
