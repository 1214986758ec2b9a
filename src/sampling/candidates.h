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
  void truncate(size_t n);
  void softmax();
};

}  // namespace cellar
