// AVX-512 version of kernels/f16_accum.h. Up to 64 elements of the
// accumulators of up to four query heads stay in registers while all keys
// pass: each key's value row is converted once and feeds every head, and the
// 4 x G round trips through F16 are independent chains, which hides their
// latency (one chain per key is latency-bound). Tails of n use masked loads
// and stores.
#include "kernels/avx512/simd512.h"
#include "kernels/f16_accum.h"

namespace cellar::kernels::avx512 {
namespace {

inline __m512 round_f16(__m512 x) {
  return _mm512_cvtph_ps(_mm512_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}

struct Span {
  uint16_t* acc;          // [n_heads][n]
  const uint16_t* v;      // [n_keys][stride]
  const float* weight;    // [n_heads][n_keys]
  const float* rescale;   // [n_heads][n_keys]
  int64_t stride, n_keys, n;
};

// Elements [i0, i0 + 16 * C) of heads [h0, h0 + G) over every key; lanes
// past n (mask `last` on the final chunk) are zero and never stored.
template <int C, int G>
void pass(const Span& s, int64_t h0, int64_t i0, __mmask16 last) {
  __mmask16 m[C];
  __m512 a[G][C];
#pragma GCC unroll 4
  for (int c = 0; c < C; ++c) m[c] = c + 1 == C ? last : static_cast<__mmask16>(0xFFFF);
#pragma GCC unroll 4
  for (int g = 0; g < G; ++g) {
#pragma GCC unroll 4
    for (int c = 0; c < C; ++c) a[g][c] = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m[c], s.acc + (h0 + g) * s.n + i0 + 16 * c));
  }
  const float* wt = s.weight + h0 * s.n_keys;
  const float* rs = s.rescale + h0 * s.n_keys;
  for (int64_t j = 0; j < s.n_keys; ++j) {
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) {
      if (rs[g * s.n_keys + j] != 1.0f) {
        const __m512 r = _mm512_set1_ps(rs[g * s.n_keys + j]);
#pragma GCC unroll 4
        for (int c = 0; c < C; ++c) a[g][c] = round_f16(_mm512_mul_ps(a[g][c], r));
      }
    }
    const uint16_t* vj = s.v + j * s.stride + i0;
    __m512 x[C];
#pragma GCC unroll 4
    for (int c = 0; c < C; ++c) x[c] = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m[c], vj + 16 * c));
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) {
      const __m512 w = _mm512_set1_ps(wt[g * s.n_keys + j]);
#pragma GCC unroll 4
      for (int c = 0; c < C; ++c) a[g][c] = round_f16(_mm512_fmadd_ps(x[c], w, a[g][c]));
    }
  }
#pragma GCC unroll 4
  for (int g = 0; g < G; ++g) {
#pragma GCC unroll 4
    for (int c = 0; c < C; ++c) {
      _mm256_mask_storeu_epi16(s.acc + (h0 + g) * s.n + i0 + 16 * c, m[c],
                               _mm512_cvtps_ph(a[g][c], _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    }
  }
}

// Chunks of 64 elements for as many heads at once as are left (4, 2 or 1).
void full_chunks(const Span& s, int64_t h0, int64_t n_heads, int64_t n_full) {
  for (int64_t i = 0; i < n_full; i += 64) {
    int64_t h = h0;
    for (; h + 4 <= n_heads; h += 4) pass<4, 4>(s, h, i, 0xFFFF);
    for (; h + 2 <= n_heads; h += 2) pass<4, 2>(s, h, i, 0xFFFF);
    for (; h < n_heads; ++h) pass<4, 1>(s, h, i, 0xFFFF);
  }
}

}  // namespace

void weighted_sum_f16(int64_t n_heads, uint16_t* acc, const uint16_t* v, int64_t stride, const float* weight,
                      const float* rescale, int64_t n_keys, int64_t n) {
  const Span s{acc, v, weight, rescale, stride, n_keys, n};
  const int64_t n_full = n / 64 * 64;
  full_chunks(s, 0, n_heads, n_full);
  const int64_t left = n - n_full;
  if (left == 0) return;
  const int chunks = static_cast<int>((left + 15) / 16);
  const __mmask16 last = left % 16 == 0 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << (left % 16)) - 1);
  for (int64_t h = 0; h < n_heads; ++h) {
    switch (chunks) {
      case 1:
        pass<1, 1>(s, h, n_full, last);
        break;
      case 2:
        pass<2, 1>(s, h, n_full, last);
        break;
      case 3:
        pass<3, 1>(s, h, n_full, last);
        break;
      default:
        pass<4, 1>(s, h, n_full, last);
        break;
    }
  }
}

}  // namespace cellar::kernels::avx512

namespace cellar::kernels::avx512 {
namespace {

// scores[g * stride] = scale * (sum of acc[g]'s lanes) for the G heads.
template <int G>
inline void store_scores(const __m512* acc, float scale, float* scores, int64_t stride) {
  if constexpr (G == 4) {
    alignas(16) float s[4];
    _mm_store_ps(s, _mm_mul_ps(reduce4(acc[0], acc[1], acc[2], acc[3]), _mm_set1_ps(scale)));
    for (int g = 0; g < 4; ++g) scores[g * stride] = s[g];
  } else {
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) scores[g * stride] = _mm512_reduce_add_ps(acc[g]) * scale;
  }
}

// Scores of G heads: each key row is converted once per 16 elements and
// meets every head's query.
template <int G>
void scores_heads(const float* q, const uint16_t* k, int64_t stride, int64_t n_keys, int64_t n, float scale,
                  float* scores, int64_t scores_stride) {
  for (int64_t j = 0; j < n_keys; ++j) {
    __m512 acc[G];
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) acc[g] = _mm512_setzero_ps();
    for (int64_t i = 0; i < n; i += 16) {
      const __mmask16 m = n - i >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << (n - i)) - 1);
      const __m512 kv = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, k + j * stride + i));
#pragma GCC unroll 4
      for (int g = 0; g < G; ++g) acc[g] = _mm512_fmadd_ps(kv, _mm512_maskz_loadu_ps(m, q + g * n + i), acc[g]);
    }
    store_scores<G>(acc, scale, scores + j, scores_stride);
  }
}

// The same for head sizes of exactly 16 * C: the G queries stay in
// registers for every key (the general loop reloads them, since `scores`
// might alias `q`).
template <int G, int C>
void scores_heads_fixed(const float* q, const uint16_t* k, int64_t stride, int64_t n_keys, float scale,
                        float* scores, int64_t scores_stride) {
  __m512 qv[G][C];
#pragma GCC unroll 4
  for (int g = 0; g < G; ++g) {
#pragma GCC unroll 8
    for (int c = 0; c < C; ++c) qv[g][c] = _mm512_loadu_ps(q + (g * C + c) * 16);
  }
  for (int64_t j = 0; j < n_keys; ++j) {
    __m512 acc[G];
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) acc[g] = _mm512_setzero_ps();
#pragma GCC unroll 8
    for (int c = 0; c < C; ++c) {
      const __m512 kv = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(k + j * stride + 16 * c)));
#pragma GCC unroll 4
      for (int g = 0; g < G; ++g) acc[g] = _mm512_fmadd_ps(kv, qv[g][c], acc[g]);
    }
    store_scores<G>(acc, scale, scores + j, scores_stride);
  }
}

// Head sizes 64 and 128 (every Llama-family model) take the fixed paths.
bool scores_fixed(int64_t n_heads, const float* q, const uint16_t* k, int64_t stride, int64_t n_keys, int64_t n,
                  float scale, float* scores) {
  if (n != 64 && n != 128) return false;
  int64_t h = 0;
  if (n == 64) {
    for (; h + 4 <= n_heads; h += 4) scores_heads_fixed<4, 4>(q + h * n, k, stride, n_keys, scale, scores + h * n_keys, n_keys);
    for (; h < n_heads; ++h) scores_heads_fixed<1, 4>(q + h * n, k, stride, n_keys, scale, scores + h * n_keys, n_keys);
  } else {
    for (; h + 2 <= n_heads; h += 2) scores_heads_fixed<2, 8>(q + h * n, k, stride, n_keys, scale, scores + h * n_keys, n_keys);
    for (; h < n_heads; ++h) scores_heads_fixed<1, 8>(q + h * n, k, stride, n_keys, scale, scores + h * n_keys, n_keys);
  }
  return true;
}

}  // namespace

void scores_f16(int64_t n_heads, const float* q, const uint16_t* k, int64_t stride, int64_t n_keys, int64_t n,
                float scale, float* scores) {
  if (scores_fixed(n_heads, q, k, stride, n_keys, n, scale, scores)) return;
  int64_t h = 0;
  for (; h + 4 <= n_heads; h += 4) scores_heads<4>(q + h * n, k, stride, n_keys, n, scale, scores + h * n_keys, n_keys);
  for (; h < n_heads; ++h) scores_heads<1>(q + h * n, k, stride, n_keys, n, scale, scores + h * n_keys, n_keys);
}

}  // namespace cellar::kernels::avx512
