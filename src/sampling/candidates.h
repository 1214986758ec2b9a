#pragma once
// The working set a sampler chain narrows down: token ids with their logits
// (and, once softmax has run, probabilities).
#include <cstdint>
#include <span>
#include <vector>

namespace cellar {

struct Candidates {
  std::vector<int32_t> ids;     // [n]
  std::vector<float> logits;    // [n]
  std::vector<float> probs;     // [n], valid after softmax()
  bool sorted = false;          // by logit, descending

  void reset(std::span<const float> logits_in);
  size_t size() const { return ids.size(); }
  // Sorts by logit descending (partially: only the first `k` when k < size).
  void sort_desc(size_t k);
  // Partially sorts `order` (indices into ids and logits) so its first k are
  // the best k, best first: ties go to the lower id, so results never depend
  // on sort stability.
  void sort_indices(std::vector<size_t>& order, size_t k) const;
  // Reorders `order` so its first k are the best k, in no particular order.
  void select_indices(std::vector<size_t>& order, size_t k) const;
  // Keeps the candidates order[0..k), in that order (already sorted), and drops probs.
  void keep_sorted(const std::vector<size_t>& order, size_t k);
  void truncate(size_t n);
  void softmax();
};

}  // namespace cellar
