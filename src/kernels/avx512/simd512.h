#pragma once
// Helpers for the AVX-512 kernels; include only from files in avx512/.
// GCC 12's intrinsic headers initialise "undefined" vectors from themselves
// (__Y = __Y), which -W(maybe-)uninitialized reports depending on inlining.
// The pragma must precede <immintrin.h>, so every file in this folder
// includes this header first. Clang (the fuzz build) has no such warning.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>

#include <cstdint>
#include <cstring>

namespace cellar::kernels::avx512 {

inline float half_to_float(const uint8_t* p) {
  uint16_t h;
  std::memcpy(&h, p, 2);
  return _cvtsh_ss(h);
}

// Lanes 0-7 = lo, lanes 8-15 = hi: per-lane scales of a pair of 32-blocks.
inline __m512 pair_scale(float lo, float hi) { return _mm512_insertf32x8(_mm512_set1_ps(lo), _mm256_set1_ps(hi), 1); }

// 64 activation quants of blocks b, b+1; only the first 32 when `single`.
inline __m512i load_x_pair(const int8_t* p, bool single) {
  return single ? _mm512_maskz_loadu_epi8(0xFFFFFFFFull, p) : _mm512_loadu_si512(p);
}

// Horizontal sums of four vectors at once: [sum(a), sum(b), sum(c), sum(d)].
// Four separate reductions cost about three times as many shuffles.
inline __m128 reduce4(__m512 a, __m512 b, __m512 c, __m512 d) {
  const __m512 ab = _mm512_add_ps(_mm512_unpacklo_ps(a, b), _mm512_unpackhi_ps(a, b));  // per 128 bits: a02 b02 a13 b13
  const __m512 cd = _mm512_add_ps(_mm512_unpacklo_ps(c, d), _mm512_unpackhi_ps(c, d));
  const __m512 abcd = _mm512_add_ps(_mm512_shuffle_ps(ab, cd, _MM_SHUFFLE(1, 0, 1, 0)),
                                    _mm512_shuffle_ps(ab, cd, _MM_SHUFFLE(3, 2, 3, 2)));  // per 128 bits: a b c d
  const __m256 h = _mm256_add_ps(_mm512_castps512_ps256(abcd), _mm512_extractf32x8_ps(abcd, 1));
  return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}

}  // namespace cellar::kernels::avx512
