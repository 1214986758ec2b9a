#include "sampling/candidates.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cellar {

void Candidates::reset(std::span<const float> logits_in) {
  ids.resize(logits_in.size());
  std::iota(ids.begin(), ids.end(), 0);
  logits.assign(logits_in.begin(), logits_in.end());
  probs.clear();
  sorted = false;
}

void Candidates::sort_desc(size_t k) {
  if (sorted) return;
  std::vector<size_t> order(ids.size());
  std::iota(order.begin(), order.end(), 0);
  k = std::min(k, order.size());
  sort_indices(order, k);
  keep_sorted(order, k);
}

namespace {

// Best first; ties go to the lower id (a total order: no stability concerns).
auto better(const Candidates& c) {
  return [&c](size_t a, size_t b) {
    return c.logits[a] > c.logits[b] || (c.logits[a] == c.logits[b] && c.ids[a] < c.ids[b]);
  };
}

}  // namespace

void Candidates::sort_indices(std::vector<size_t>& order, size_t k) const {
  k = std::min(k, order.size());
  if (k == order.size()) {
    std::sort(order.begin(), order.end(), better(*this));  // introsort: about twice partial_sort's heap sort
  } else {
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(), better(*this));
  }
}

void Candidates::select_indices(std::vector<size_t>& order, size_t k) const {
  if (k >= order.size()) return;
  std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(), better(*this));
}

void Candidates::keep_sorted(const std::vector<size_t>& order, size_t k) {
  std::vector<int32_t> new_ids(k);
  std::vector<float> new_logits(k);
  for (size_t i = 0; i < k; ++i) {
    new_ids[i] = ids[order[i]];
    new_logits[i] = logits[order[i]];
  }
  ids.swap(new_ids);
  logits.swap(new_logits);
  probs.clear();
  sorted = true;
}

void Candidates::truncate(size_t n) {
  if (n >= ids.size()) return;
  ids.resize(n);
  logits.resize(n);
  if (!probs.empty()) probs.resize(n);
}

void Candidates::softmax() {
  float mx = -INFINITY;
  for (float l : logits) mx = std::max(mx, l);
  probs.resize(logits.size());
  double sum = 0;
  for (size_t i = 0; i < logits.size(); ++i) {
    probs[i] = std::exp(logits[i] - mx);
    sum += probs[i];
  }
  for (auto& p : probs) p = static_cast<float>(p / sum);
}

}  // namespace cellar
