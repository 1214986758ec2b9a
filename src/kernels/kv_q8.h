#pragma once
// Attention over a Q8_0 KV cache (`--kv-type q8_0`: half the memory of F16),
// computed as llama.cpp's CPU flash-attention kernel does for a q8_0 cache
// (ggml_compute_forward_flash_attn_ext_f16 with k->type == GGML_TYPE_Q8_0):
// the query is quantized to Q8_0 and each score is a sum of integer block dot
// products; values are dequantized and summed in F32.
// Block layout (block_q8_0: F16 scale d, 32 x int8, x = d * q):
// https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
#include <cstdint>

#include "kernels/blocks.h"

namespace cellar::kernels {

// Q8_0 rows are n / 32 blocks; n must be a multiple of 32 and every quant in
// [-127, 127] (quantize_row(Q8_0) makes them so).

// scores[h][j] = scale * sum_b d(q[h][b]) * d(k_j[b]) * sum_i q[h][b].qs[i] * k_j[b].qs[i]
// for n_heads query heads sharing one key head. q: [n_heads][n/32] blocks;
// k: n_keys rows `stride` bytes apart, each starting with its n/32 blocks;
// scores: [n_heads][n_keys]. SIMD paths add the float products in another
// order (tolerance, not bits).
void scores_q8_0(int64_t n_heads, const BlockQ8_0* q, const uint8_t* k, int64_t stride, int64_t n_keys, int64_t n,
                 float scale, float* scores);

// For each head h and each key j in order:
//   if rescale[h][j] != 1:  acc[h][i] *= rescale[h][j]
//   acc[h][i] = fma(q_j[i] * d_j, weight[h][j], acc[h][i])   (the dequantized value, as dequantize_row)
// acc: [n_heads][n] F32, updated in place; v: n_keys rows like k;
// weight, rescale: [n_heads][n_keys]. Every ISA gives identical bits.
void weighted_sum_q8_0(int64_t n_heads, float* acc, const uint8_t* v, int64_t stride, const float* weight,
                       const float* rescale, int64_t n_keys, int64_t n);

#define CELLAR_KV_Q8_DECLS                                                                                          \
  void scores_q8_0(int64_t n_heads, const BlockQ8_0* q, const uint8_t* k, int64_t stride, int64_t n_keys, int64_t n, \
                   float scale, float* scores);                                                                     \
  void weighted_sum_q8_0(int64_t n_heads, float* acc, const uint8_t* v, int64_t stride, const float* weight,         \
                         const float* rescale, int64_t n_keys, int64_t n);
namespace scalar {
CELLAR_KV_Q8_DECLS
}  // namespace scalar
namespace avx2 {
CELLAR_KV_Q8_DECLS
}  // namespace avx2
namespace avx512 {
CELLAR_KV_Q8_DECLS
}  // namespace avx512
#undef CELLAR_KV_Q8_DECLS

}  // namespace cellar::kernels
