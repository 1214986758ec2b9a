// AVX-512 (VNNI) version of kernels/kv_q8.h. Scores: two blocks of a key
// (64 quants) meet up to four query heads per step; each head's signs move
// onto the key quants with one masked subtract, so vpdpbusd multiplies |q|
// (unsigned) by them, and four heads' sums are reduced together. Values: up
// to 64 accumulator elements of up to four heads stay in registers while all
// keys pass; each value block is dequantized once for every head.
#include "kernels/avx512/simd512.h"
#include "kernels/kv_q8.h"

namespace cellar::kernels::avx512 {
namespace {

constexpr int64_t kMaxPairs = 8;  // head sizes up to 512; larger ones take the scalar path

// One query head prepared for a block pair p (blocks 2p, 2p+1; the second
// may be absent): |q|, the lanes where q < 0, and the two scales.
struct QueryPairs {
  __m512i abs_q[kMaxPairs];
  __mmask64 neg[kMaxPairs];
  __m512 d[kMaxPairs];
};

void prepare(const BlockQ8_0* qh, int64_t nb, QueryPairs& out) {
  for (int64_t p = 0; 2 * p < nb; ++p) {
    const bool single = 2 * p + 1 == nb;
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qh[2 * p].qs));
    const __m256i hi = single ? _mm256_setzero_si256() : _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qh[2 * p + 1].qs));
    const __m512i q = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
    out.abs_q[p] = _mm512_abs_epi8(q);
    out.neg[p] = _mm512_movepi8_mask(q);
    out.d[p] = pair_scale(_cvtsh_ss(qh[2 * p].d), single ? 0.f : _cvtsh_ss(qh[2 * p + 1].d));
  }
}

template <int G>
void scores_heads(const QueryPairs* qp, const uint8_t* k, int64_t stride, int64_t n_keys, int64_t nb, float scale,
                  float* scores, int64_t scores_stride) {
  const __m512i zero = _mm512_setzero_si512();
  for (int64_t j = 0; j < n_keys; ++j) {
    const auto* kj = reinterpret_cast<const BlockQ8_0*>(k + j * stride);
    __m512 acc[G];
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) acc[g] = _mm512_setzero_ps();
    for (int64_t p = 0; 2 * p < nb; ++p) {
      const bool single = 2 * p + 1 == nb;
      const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kj[2 * p].qs));
      const __m256i hi = single ? _mm256_setzero_si256() : _mm256_loadu_si256(reinterpret_cast<const __m256i*>(kj[2 * p + 1].qs));
      const __m512i kq = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
      const __m512 dk = pair_scale(_cvtsh_ss(kj[2 * p].d), single ? 0.f : _cvtsh_ss(kj[2 * p + 1].d));
#pragma GCC unroll 4
      for (int g = 0; g < G; ++g) {
        const __m512i signed_k = _mm512_mask_sub_epi8(kq, qp[g].neg[p], zero, kq);
        const __m512i dot = _mm512_dpbusd_epi32(zero, qp[g].abs_q[p], signed_k);
        acc[g] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_mul_ps(qp[g].d[p], dk), acc[g]);
      }
    }
    if constexpr (G == 4) {
      alignas(16) float s[4];
      _mm_store_ps(s, _mm_mul_ps(reduce4(acc[0], acc[1], acc[2], acc[3]), _mm_set1_ps(scale)));
      for (int g = 0; g < 4; ++g) scores[g * scores_stride + j] = s[g];
    } else {
      scores[j] = _mm512_reduce_add_ps(acc[0]) * scale;
    }
  }
}

// 16 dequantized values of block b's bytes [16 * half, 16 * half + 16).
inline __m512 dequant16(const BlockQ8_0& b, int half) {
  const __m128i q8 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.qs + 16 * half));
  return _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q8)), _mm512_set1_ps(_cvtsh_ss(b.d)));
}

// Elements [32 * b0, 32 * b0 + 16 * C) of heads [h0, h0 + G) over every key.
template <int C, int G>
void sum_pass(float* acc, const uint8_t* v, int64_t stride, const float* weight, const float* rescale, int64_t n_keys,
              int64_t n, int64_t h0, int64_t b0) {
  __m512 a[G][C];
#pragma GCC unroll 4
  for (int g = 0; g < G; ++g) {
#pragma GCC unroll 4
    for (int c = 0; c < C; ++c) a[g][c] = _mm512_loadu_ps(acc + (h0 + g) * n + b0 * kQK + 16 * c);
  }
  const float* wt = weight + h0 * n_keys;
  const float* rs = rescale + h0 * n_keys;
  for (int64_t j = 0; j < n_keys; ++j) {
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) {
      if (rs[g * n_keys + j] != 1.0f) {
        const __m512 r = _mm512_set1_ps(rs[g * n_keys + j]);
#pragma GCC unroll 4
        for (int c = 0; c < C; ++c) a[g][c] = _mm512_mul_ps(a[g][c], r);
      }
    }
    const auto* vj = reinterpret_cast<const BlockQ8_0*>(v + j * stride) + b0;
    __m512 x[C];
#pragma GCC unroll 4
    for (int c = 0; c < C; ++c) x[c] = dequant16(vj[c / 2], c % 2);
#pragma GCC unroll 4
    for (int g = 0; g < G; ++g) {
      const __m512 w = _mm512_set1_ps(wt[g * n_keys + j]);
#pragma GCC unroll 4
      for (int c = 0; c < C; ++c) a[g][c] = _mm512_fmadd_ps(x[c], w, a[g][c]);
    }
  }
#pragma GCC unroll 4
  for (int g = 0; g < G; ++g) {
#pragma GCC unroll 4
    for (int c = 0; c < C; ++c) _mm512_storeu_ps(acc + (h0 + g) * n + b0 * kQK + 16 * c, a[g][c]);
  }
}

template <int C>
void sum_heads(float* acc, const uint8_t* v, int64_t stride, const float* weight, const float* rescale,
               int64_t n_keys, int64_t n, int64_t n_heads, int64_t b0) {
  int64_t h = 0;
  for (; h + 4 <= n_heads; h += 4) sum_pass<C, 4>(acc, v, stride, weight, rescale, n_keys, n, h, b0);
  for (; h < n_heads; ++h) sum_pass<C, 1>(acc, v, stride, weight, rescale, n_keys, n, h, b0);
}

}  // namespace

void scores_q8_0(int64_t n_heads, const BlockQ8_0* q, const uint8_t* k, int64_t stride, int64_t n_keys, int64_t n,
                 float scale, float* scores) {
  const int64_t nb = n / kQK;
  if (nb > 2 * kMaxPairs) {
    scalar::scores_q8_0(n_heads, q, k, stride, n_keys, n, scale, scores);
    return;
  }
  QueryPairs qp[4];
  int64_t h = 0;
  for (; h + 4 <= n_heads; h += 4) {
    for (int g = 0; g < 4; ++g) prepare(q + (h + g) * nb, nb, qp[g]);
    scores_heads<4>(qp, k, stride, n_keys, nb, scale, scores + h * n_keys, n_keys);
  }
  for (; h < n_heads; ++h) {
    prepare(q + h * nb, nb, qp[0]);
    scores_heads<1>(qp, k, stride, n_keys, nb, scale, scores + h * n_keys, n_keys);
  }
}

void weighted_sum_q8_0(int64_t n_heads, float* acc, const uint8_t* v, int64_t stride, const float* weight,
                       const float* rescale, int64_t n_keys, int64_t n) {
  const int64_t nb = n / kQK;
  int64_t b = 0;
  for (; b + 2 <= nb; b += 2) sum_heads<4>(acc, v, stride, weight, rescale, n_keys, n, n_heads, b);
  if (b < nb) sum_heads<2>(acc, v, stride, weight, rescale, n_keys, n, n_heads, b);
}

}  // namespace cellar::kernels::avx512
