#include "model/layer_math.h"

#include <cmath>

#include "kernels/kernels.h"

namespace cellar {

void rmsnorm(const float* x, const float* w, float* out, int n, float eps) {
  double ss = 0;
  for (int i = 0; i < n; ++i) ss += static_cast<double>(x[i]) * x[i];
  const float scale = 1.0f / std::sqrt(static_cast<float>(ss / n) + eps);
  for (int i = 0; i < n; ++i) out[i] = x[i] * scale * w[i];
}

RopeTable::RopeTable(const HParams& hp, const float* freq_factors)
    : inv_freq_(hp.n_rot / 2),
      n_rot_(hp.n_rot),
      head_dim_(hp.head_dim),
      freq_scale_(hp.rope_freq_scale),
      style_(hp.rope_style) {
  for (int i = 0; i < n_rot_ / 2; ++i) {
    float f = std::pow(hp.rope_freq_base, -2.0f * static_cast<float>(i) / static_cast<float>(n_rot_));
    if (freq_factors) f /= freq_factors[i];
    inv_freq_[i] = f;
  }
}

void RopeTable::fill(int pos, float* cs) const {
  const float p = static_cast<float>(pos) * freq_scale_;
  for (int i = 0; i < n_rot_ / 2; ++i) {
    const float theta = p * inv_freq_[i];
    cs[2 * i] = std::cos(theta);
    cs[2 * i + 1] = std::sin(theta);
  }
}

void RopeTable::apply(float* x, int n_heads, const float* cs) const {
  const int half = n_rot_ / 2;
  for (int h = 0; h < n_heads; ++h) {
    float* v = x + static_cast<size_t>(h) * head_dim_;
    for (int i = 0; i < half; ++i) {
      const float c = cs[2 * i], s = cs[2 * i + 1];
      // Normal: (v[2i], v[2i+1]); NeoX: (v[i], v[i + n_rot/2]).
      const int a = style_ == RopeStyle::kNormal ? 2 * i : i;
      const int b = style_ == RopeStyle::kNormal ? 2 * i + 1 : i + half;
      const float x0 = v[a], x1 = v[b];
      v[a] = x0 * c - x1 * s;
      v[b] = x0 * s + x1 * c;
    }
  }
}

void swiglu(const float* gate, const float* up, float* out, int64_t n) { kernels::swiglu(gate, up, out, n); }

}  // namespace cellar
