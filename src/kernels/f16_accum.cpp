#include "kernels/f16_accum.h"

#include <cmath>

#include "kernels/fp16.h"
#include "kernels/isa_pick.h"
#include "kernels/kernels.h"

namespace cellar::kernels {

namespace scalar {
void weighted_sum_f16(int64_t n_heads, uint16_t* acc, const uint16_t* v, int64_t stride, const float* weight,
                      const float* rescale, int64_t n_keys, int64_t n) {
  for (int64_t h = 1; h < n_heads; ++h) {
    weighted_sum_f16(1, acc + h * n, v, stride, weight + h * n_keys, rescale + h * n_keys, n_keys, n);
  }
  for (int64_t j = 0; j < n_keys; ++j) {
    const uint16_t* vj = v + j * stride;
    if (rescale[j] != 1.0f) {
      for (int64_t i = 0; i < n; ++i) acc[i] = fp32_to_fp16(fp16_to_fp32(acc[i]) * rescale[j]);
    }
    // Fused, as the SIMD paths and llama.cpp's vector FMA, so every ISA agrees bit for bit.
    for (int64_t i = 0; i < n; ++i) acc[i] = fp32_to_fp16(std::fma(fp16_to_fp32(vj[i]), weight[j], fp16_to_fp32(acc[i])));
  }
}

void scores_f16(int64_t n_heads, const float* q, const uint16_t* k, int64_t stride, int64_t n_keys, int64_t n,
                float scale, float* scores) {
  for (int64_t h = 0; h < n_heads; ++h) {
    for (int64_t j = 0; j < n_keys; ++j) {
      float sum = 0.f;
      for (int64_t i = 0; i < n; ++i) sum += fp16_to_fp32(k[j * stride + i]) * q[h * n + i];
      scores[h * n_keys + j] = sum * scale;
    }
  }
}
}  // namespace scalar

void weighted_sum_f16(int64_t n_heads, uint16_t* acc, const uint16_t* v, int64_t stride, const float* weight,
                      const float* rescale, int64_t n_keys, int64_t n) {
  isa_pick(scalar::weighted_sum_f16, avx2::weighted_sum_f16, avx512::weighted_sum_f16)(n_heads, acc, v, stride, weight,
                                                                                  rescale, n_keys, n);
}

void scores_f16(int64_t n_heads, const float* q, const uint16_t* k, int64_t stride, int64_t n_keys, int64_t n,
                float scale, float* scores) {
  isa_pick(scalar::scores_f16, avx2::scores_f16, avx512::scores_f16)(n_heads, q, k, stride, n_keys, n, scale, scores);
}

}  // namespace cellar::kernels
