#include "sampling/samplers.h"

namespace cellar {

void apply_temperature(Candidates& c, float t) {
  if (t == 1.0f) return;
  for (auto& l : c.logits) l /= t;
  c.probs.clear();
}

}  // namespace cellar
