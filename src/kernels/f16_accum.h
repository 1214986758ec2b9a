#pragma once
// The value half of attention with llama.cpp's F16 running sum (see
// src/model/attention.cpp): each result element is computed in F32 and
// rounded to F16 once per key, so every ISA gives identical bits.
#include <cstdint>

namespace cellar::kernels {

// For each of n_heads query heads h (sharing one key/value head) and each
// key j in order:
//   if rescale[h][j] != 1:  acc[h][i] = f16(f32(acc[h][i]) * rescale[h][j])
//   acc[h][i] = f16(fma(f32(v[j][i]), weight[h][j], f32(acc[h][i])))   (one rounding to F32,
//   as ggml_vec_mad_f16's FMA, then one to F16)
// acc: [n_heads][n] F16, updated in place; v: [n_keys][stride] F16 rows of
// which the first n elements are used; weight, rescale: [n_heads][n_keys].
// Several heads per call let the SIMD paths run independent F16 round trips
// side by side and read each value row once.
void weighted_sum_f16(int64_t n_heads, uint16_t* acc, const uint16_t* v, int64_t stride, const float* weight,
                      const float* rescale, int64_t n_keys, int64_t n);

// The key half: scores[h][j] = scale * sum_i f32(k[j][i]) * q[h][i] for
// n_heads query heads sharing one key head. q: [n_heads][n] (already rounded
// to F16 values, as llama.cpp does); k: [n_keys][stride] F16 rows;
// scores: [n_heads][n_keys]. SIMD paths sum in another order (tolerance, not
// bits).
void scores_f16(int64_t n_heads, const float* q, const uint16_t* k, int64_t stride, int64_t n_keys, int64_t n,
                float scale, float* scores);

namespace scalar {
void scores_f16(int64_t n_heads, const float* q, const uint16_t* k, int64_t stride, int64_t n_keys, int64_t n,
                float scale, float* scores);
void weighted_sum_f16(int64_t n_heads, uint16_t* acc, const uint16_t* v, int64_t stride, const float* weight,
                      const float* rescale, int64_t n_keys, int64_t n);
}  // namespace scalar
namespace avx2 {
void scores_f16(int64_t n_heads, const float* q, const uint16_t* k, int64_t stride, int64_t n_keys, int64_t n,
                float scale, float* scores);
void weighted_sum_f16(int64_t n_heads, uint16_t* acc, const uint16_t* v, int64_t stride, const float* weight,
                      const float* rescale, int64_t n_keys, int64_t n);
}  // namespace avx2
namespace avx512 {
void scores_f16(int64_t n_heads, const float* q, const uint16_t* k, int64_t stride, int64_t n_keys, int64_t n,
                float scale, float* scores);
void weighted_sum_f16(int64_t n_heads, uint16_t* acc, const uint16_t* v, int64_t stride, const float* weight,
                      const float* rescale, int64_t n_keys, int64_t n);
}  // namespace avx512

}  // namespace cellar::kernels
