#include "kernels/kv_q8.h"

#include <cmath>

#include "kernels/fp16.h"
#include "kernels/isa_pick.h"

namespace cellar::kernels {

namespace scalar {

void scores_q8_0(int64_t n_heads, const BlockQ8_0* q, const uint8_t* k, int64_t stride, int64_t n_keys, int64_t n,
                 float scale, float* scores) {
  const int64_t nb = n / kQK;
  for (int64_t h = 0; h < n_heads; ++h) {
    const BlockQ8_0* qh = q + h * nb;
    for (int64_t j = 0; j < n_keys; ++j) {
      const auto* kj = reinterpret_cast<const BlockQ8_0*>(k + j * stride);
      float sum = 0.f;
      for (int64_t b = 0; b < nb; ++b) {
        int32_t isum = 0;
        for (int i = 0; i < kQK; ++i) isum += int32_t{qh[b].qs[i]} * kj[b].qs[i];
        sum += static_cast<float>(isum) * (fp16_to_fp32(qh[b].d) * fp16_to_fp32(kj[b].d));
      }
      scores[h * n_keys + j] = sum * scale;
    }
  }
}

void weighted_sum_q8_0(int64_t n_heads, float* acc, const uint8_t* v, int64_t stride, const float* weight,
                       const float* rescale, int64_t n_keys, int64_t n) {
  const int64_t nb = n / kQK;
  for (int64_t h = 0; h < n_heads; ++h) {
    float* a = acc + h * n;
    for (int64_t j = 0; j < n_keys; ++j) {
      const float r = rescale[h * n_keys + j], w = weight[h * n_keys + j];
      if (r != 1.0f) {
        for (int64_t i = 0; i < n; ++i) a[i] *= r;
      }
      const auto* vj = reinterpret_cast<const BlockQ8_0*>(v + j * stride);
      for (int64_t b = 0; b < nb; ++b) {
        const float d = fp16_to_fp32(vj[b].d);
        for (int i = 0; i < kQK; ++i) a[b * kQK + i] = std::fma(static_cast<float>(vj[b].qs[i]) * d, w, a[b * kQK + i]);
      }
    }
  }
}

}  // namespace scalar

void scores_q8_0(int64_t n_heads, const BlockQ8_0* q, const uint8_t* k, int64_t stride, int64_t n_keys, int64_t n,
                 float scale, float* scores) {
  isa_pick(scalar::scores_q8_0, avx2::scores_q8_0, avx512::scores_q8_0)(n_heads, q, k, stride, n_keys, n, scale,
                                                                        scores);
}

void weighted_sum_q8_0(int64_t n_heads, float* acc, const uint8_t* v, int64_t stride, const float* weight,
                       const float* rescale, int64_t n_keys, int64_t n) {
  isa_pick(scalar::weighted_sum_q8_0, avx2::weighted_sum_q8_0, avx512::weighted_sum_q8_0)(n_heads, acc, v, stride,
                                                                                          weight, rescale, n_keys, n);
}

}  // namespace cellar::kernels
