#include "sampling/samplers.h"

namespace cellar {

// Nucleus sampling: keep the smallest prefix whose probability mass reaches p.
void apply_top_p(Candidates& c, float p) {
  if (p >= 1.0f || c.size() <= 1) return;
  c.sort_desc(c.size());
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
