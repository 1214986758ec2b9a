#include "sampling/samplers.h"

namespace cellar {

void apply_top_k(Candidates& c, int k) {
  if (k <= 0 || static_cast<size_t>(k) >= c.size()) return;
  c.sort_desc(static_cast<size_t>(k));
}

}  // namespace cellar
