// Scalar dequantization, bit-exact with ggml's dequantize_row_* (ggml-quants.c):
// each value is computed with the same float operations in the same order.
#include <cstring>

#include "kernels/type_traits.h"
#include "kernels/unpack.h"

namespace cellar::kernels {
namespace {

template <typename Block, bool kMin>
void dequantize_legacy(const void* src, float* dst, int64_t n) {
  const auto* blocks = static_cast<const Block*>(src);  // [n / 32]
  Unpacked32 u;
  for (int64_t i = 0; i < n / kQK; ++i) {
    unpack(blocks[i], u);
    for (int j = 0; j < kQK; ++j) {
      dst[i * kQK + j] = kMin ? u.q[j] * u.d + u.m : u.q[j] * u.d;
    }
  }
}

template <typename Block, bool kMin>
void dequantize_k(const void* src, float* dst, int64_t n) {
  const auto* blocks = static_cast<const Block*>(src);  // [n / 256]
  UnpackedK u;
  for (int64_t i = 0; i < n / kQKK; ++i) {
    unpack(blocks[i], u);
    float* y = dst + i * kQKK;
    for (int e = 0; e < kQKK; ++e) {
      const int s = e / u.sub;
      const float dl = u.d * u.sc[s];
      y[e] = kMin ? dl * u.q[e] - u.dmin * u.mn[s] : dl * u.q[e];
    }
  }
}

}  // namespace

void dequantize_q4_0(const void* s, float* d, int64_t n) { dequantize_legacy<BlockQ4_0, false>(s, d, n); }
void dequantize_q4_1(const void* s, float* d, int64_t n) { dequantize_legacy<BlockQ4_1, true>(s, d, n); }
void dequantize_q5_0(const void* s, float* d, int64_t n) { dequantize_legacy<BlockQ5_0, false>(s, d, n); }
void dequantize_q5_1(const void* s, float* d, int64_t n) { dequantize_legacy<BlockQ5_1, true>(s, d, n); }
void dequantize_q8_0(const void* s, float* d, int64_t n) { dequantize_legacy<BlockQ8_0, false>(s, d, n); }
void dequantize_q2_k(const void* s, float* d, int64_t n) { dequantize_k<BlockQ2_K, true>(s, d, n); }
void dequantize_q3_k(const void* s, float* d, int64_t n) { dequantize_k<BlockQ3_K, false>(s, d, n); }
void dequantize_q4_k(const void* s, float* d, int64_t n) { dequantize_k<BlockQ4_K, true>(s, d, n); }
void dequantize_q5_k(const void* s, float* d, int64_t n) { dequantize_k<BlockQ5_K, true>(s, d, n); }
void dequantize_q6_k(const void* s, float* d, int64_t n) { dequantize_k<BlockQ6_K, false>(s, d, n); }

void dequantize_f32(const void* src, float* dst, int64_t n) { std::memcpy(dst, src, n * sizeof(float)); }

void dequantize_f16(const void* src, float* dst, int64_t n) {
  const auto* h = static_cast<const uint16_t*>(src);  // [n]
  for (int64_t i = 0; i < n; ++i) dst[i] = fp16_to_fp32(h[i]);
}

void dequantize_bf16(const void* src, float* dst, int64_t n) {
  const auto* h = static_cast<const uint16_t*>(src);  // [n]
  for (int64_t i = 0; i < n; ++i) dst[i] = bf16_to_fp32(h[i]);
}

}  // namespace cellar::kernels
