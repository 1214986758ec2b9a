#pragma once
// The small element-wise pieces of a Llama block, written as the maths reads:
//   rmsnorm(x) = x / sqrt(mean(x^2) + eps) * w
//   rope: rotate pairs of q/k by pos * theta_i, theta_i = base^(-2i/n_rot) / factor_i
//   swiglu(g, u) = silu(g) * u, silu(g) = g / (1 + e^-g)
#include <cstdint>
#include <vector>

#include "model/hparams.h"

namespace cellar {

void rmsnorm(const float* x, const float* w, float* out, int n, float eps);

// Per-position cos/sin table: [n_rot/2] pairs for one position.
class RopeTable {
 public:
  RopeTable(const HParams& hp, const float* freq_factors /* [n_rot/2] or null */);
  // cs: [n_rot/2][2] (cos, sin) for position `pos`.
  void fill(int pos, float* cs) const;
  // Rotates `n_heads` heads of `head_dim` values in place.
  void apply(float* x, int n_heads, const float* cs) const;
  int n_pairs() const { return n_rot_ / 2; }

 private:
  std::vector<float> inv_freq_;  // [n_rot/2]
  int n_rot_, head_dim_;
  float freq_scale_;
  RopeStyle style_;
};

void swiglu(const float* gate, const float* up, float* out, int64_t n);

}  // namespace cellar
