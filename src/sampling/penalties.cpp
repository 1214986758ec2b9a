#include <unordered_map>

#include "sampling/samplers.h"

namespace cellar {

void apply_penalties(Candidates& c, std::span<const int32_t> history, int window, float repeat, float frequency,
                     float presence) {
  if (repeat == 1.0f && frequency == 0.0f && presence == 0.0f) return;
  size_t start = 0;
  if (window >= 0 && history.size() > static_cast<size_t>(window)) start = history.size() - window;
  std::unordered_map<int32_t, int> counts;
  for (size_t i = start; i < history.size(); ++i) counts[history[i]]++;
  for (const auto& [id, n] : counts) {
    if (id < 0 || static_cast<size_t>(id) >= c.size() || c.ids[id] != id) continue;
    float& l = c.logits[id];
    l = l > 0 ? l / repeat : l * repeat;
    l -= static_cast<float>(n) * frequency + presence;
  }
}

}  // namespace cellar
