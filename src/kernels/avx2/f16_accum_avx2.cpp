// AVX2 + F16C version of kernels/f16_accum.h: up to 32 elements of the
// accumulator (4 x 8 lanes) stay in registers while all keys pass, so each
// key costs one load, FMA and F16 round trip per 8 elements; the
// four chains are independent, which hides the round trip's latency.
#include <immintrin.h>

#include "kernels/f16_accum.h"

namespace cellar::kernels::avx2 {
namespace {

inline __m256 round_f16(__m256 x) { return _mm256_cvtph_ps(_mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT)); }

inline __m256 load_f16(const uint16_t* p) { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }

// Elements [i0, i0 + 8 * C) of acc over every key.
template <int C>
void pass(uint16_t* acc, const uint16_t* v, int64_t stride, const float* weight, const float* rescale, int64_t n_keys,
          int64_t i0) {
  __m256 a[C];
  for (int c = 0; c < C; ++c) a[c] = load_f16(acc + i0 + 8 * c);
  for (int64_t j = 0; j < n_keys; ++j) {
    if (rescale[j] != 1.0f) {
      const __m256 r = _mm256_set1_ps(rescale[j]);
      for (int c = 0; c < C; ++c) a[c] = round_f16(_mm256_mul_ps(a[c], r));
    }
    const __m256 w = _mm256_set1_ps(weight[j]);
    const uint16_t* vj = v + j * stride + i0;
    for (int c = 0; c < C; ++c) a[c] = round_f16(_mm256_fmadd_ps(load_f16(vj + 8 * c), w, a[c]));
  }
  for (int c = 0; c < C; ++c) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(acc + i0 + 8 * c), _mm256_cvtps_ph(a[c], _MM_FROUND_TO_NEAREST_INT));
  }
}

}  // namespace

void weighted_sum_f16(int64_t n_heads, uint16_t* acc, const uint16_t* v, int64_t stride, const float* weight,
                      const float* rescale, int64_t n_keys, int64_t n) {
  for (int64_t h = 0; h < n_heads; ++h) {
    uint16_t* acc_h = acc + h * n;
    const float* w = weight + h * n_keys;
    const float* r = rescale + h * n_keys;
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) pass<4>(acc_h, v, stride, w, r, n_keys, i);
    for (; i + 8 <= n; i += 8) pass<1>(acc_h, v, stride, w, r, n_keys, i);
    if (i < n) scalar::weighted_sum_f16(1, acc_h + i, v + i, stride, w, r, n_keys, n - i);
  }
}

}  // namespace cellar::kernels::avx2

namespace cellar::kernels::avx2 {

void scores_f16(int64_t n_heads, const float* q, const uint16_t* k, int64_t stride, int64_t n_keys, int64_t n,
                float scale, float* scores) {
  const int64_t n8 = n / 8 * 8;
  for (int64_t h = 0; h < n_heads; ++h) {
    const float* qh = q + h * n;
    for (int64_t j = 0; j < n_keys; ++j) {
      const uint16_t* kj = k + j * stride;
      __m256 acc = _mm256_setzero_ps();
      for (int64_t i = 0; i < n8; i += 8) acc = _mm256_fmadd_ps(load_f16(kj + i), _mm256_loadu_ps(qh + i), acc);
      const __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
      const __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
      float sum = _mm_cvtss_f32(_mm_add_ss(s2, _mm_movehdup_ps(s2)));
      for (int64_t i = n8; i < n; ++i) sum += _cvtsh_ss(kj[i]) * qh[i];
      scores[h * n_keys + j] = sum * scale;
    }
  }
}

}  // namespace cellar::kernels::avx2
