#include "sampling/samplers.h"

namespace cellar {

void apply_logit_bias(Candidates& c, const std::map<int32_t, float>& bias) {
  if (bias.empty()) return;
  // Before any narrowing, ids[i] == i, so biases index directly.
  for (const auto& [id, b] : bias) {
    if (id >= 0 && static_cast<size_t>(id) < c.size() && c.ids[id] == id) c.logits[id] += b;
  }
}

}  // namespace cellar
