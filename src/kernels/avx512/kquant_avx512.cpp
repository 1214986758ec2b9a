// AVX-512 VNNI gemm for the k-quants (Q2_K..Q6_K) against Q8x256 activations.
//
// Each 256-element super-block of a weight row is decoded once per tile into
// four zmm of unsigned quants u (64 elements each, natural order), four
// int16 vectors holding each lane's sub-block scale, and the 16 per-16-
// element "min" weights. For every activation row of the tile:
//   isum += vpdpwssd(vpmaddubsw(u, x), scale)   (integer, per super-block)
//   msum  = vpmaddwd(bsums, mins)
//   y    += dx * (d * isum - dmin * msum)
// Types stored with a signed offset (Q3_K: q - 4, Q6_K: q - 32) fold it into
// the min term: mins = scales and dmin = offset * d.
#include <cstring>

#include "kernels/avx512/simd512.h"
#include "kernels/blocks.h"
#include "kernels/gemm.h"
#include "kernels/prefetch.h"

namespace cellar::kernels::avx512 {
namespace {

struct Decoded {
  __m512i u[4];   // [4][64] unsigned quants
  __m512i sc[4];  // [4][32] int16 scale of each pair of lanes
  __m256i mins;   // [16] int16 weight of each 16-element activation sum
  float d, dmin;
};

// Dword j of s holds scale j in both 16-bit halves; spread 8 of them as
// (lanes 0-7: scale a, lanes 8-15: scale b) or 16 as four groups of 4 lanes.
inline __m512i dup_words(__m512i dwords) {
  return _mm512_or_si512(_mm512_and_si512(dwords, _mm512_set1_epi32(0xFFFF)), _mm512_slli_epi32(dwords, 16));
}

// Scales of 32-element sub-blocks (Q4_K, Q5_K): 8 unsigned bytes in a u64.
inline void spread_scales_32(uint64_t sc8, Decoded& k) {
  const __m512i s = dup_words(_mm512_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(sc8))));
  for (int c = 0; c < 4; ++c) {
    const __m512i idx = _mm512_set1_epi32(2 * c);
    k.sc[c] = _mm512_permutexvar_epi32(_mm512_mask_add_epi32(idx, 0xFF00, idx, _mm512_set1_epi32(1)), s);
  }
}

// Scales of 16-element sub-blocks: 16 signed bytes.
inline void spread_scales_16(__m128i sc16, Decoded& k) {
  const __m512i s = dup_words(_mm512_cvtepi8_epi32(sc16));
  const __m512i quarter = _mm512_srli_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), 2);
  for (int c = 0; c < 4; ++c)
    k.sc[c] = _mm512_permutexvar_epi32(_mm512_add_epi32(quarter, _mm512_set1_epi32(4 * c)), s);
}

// 32 bytes of nibbles -> 64 quants: low nibbles (elements 0-31) then high.
inline __m512i nibbles64(const uint8_t* p) {
  const __m512i q = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i*)p));
  return _mm512_and_si512(_mm512_mask_srli_epi16(q, 0xFFFF0000u, q, 4), _mm512_set1_epi8(0x0F));
}

// Bits (shift, shift + 2) of 32 bytes in lanes (0-1, 2-3): a pair of 2-bit planes.
inline __m512i planes64(__m512i q, int shift) {
  const __m512i s = _mm512_srli_epi16(q, shift);
  return _mm512_and_si512(_mm512_mask_srli_epi16(s, 0xFFFF0000u, s, 2), _mm512_set1_epi8(3));
}

// Bytes: lanes 0-1 = 1 << lo, lanes 2-3 = 1 << hi (bit selectors for test).
inline __m512i bit_pair(int lo, int hi) {
  return _mm512_mask_blend_epi64(0xF0, _mm512_set1_epi8(static_cast<char>(1 << lo)),
                                 _mm512_set1_epi8(static_cast<char>(1 << hi)));
}

inline void decode_q45_scales(const uint8_t* blk, Decoded& k) {
  uint32_t u[4];
  k4_scale_words(blk + 4, u);
  spread_scales_32(u[0] | (uint64_t{u[1]} << 32), k);
  const __m128i m = _mm_cvtsi64_si128(static_cast<long long>(u[2] | (uint64_t{u[3]} << 32)));
  k.mins = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m, m));  // each min covers two 16-sums
  k.d = half_to_float(blk);
  k.dmin = half_to_float(blk + 2);
}

struct DecodeQ4_K {
  static constexpr int kBytes = sizeof(BlockQ4_K);
  static void decode(const uint8_t* blk, Decoded& k) {
    decode_q45_scales(blk, k);
    for (int c = 0; c < 4; ++c) k.u[c] = nibbles64(blk + 16 + 32 * c);
  }
};

struct DecodeQ5_K {
  static constexpr int kBytes = sizeof(BlockQ5_K);
  static void decode(const uint8_t* blk, Decoded& k) {
    decode_q45_scales(blk, k);
    const __m512i qh = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i*)(blk + 16)));
    for (int c = 0; c < 4; ++c) {
      const __mmask64 high = _mm512_test_epi8_mask(qh, bit_pair(2 * c, 2 * c + 1));
      const __m512i u = nibbles64(blk + 48 + 32 * c);
      k.u[c] = _mm512_mask_add_epi8(u, high, u, _mm512_set1_epi8(16));
    }
  }
};

struct DecodeQ6_K {
  static constexpr int kBytes = sizeof(BlockQ6_K);
  static void decode(const uint8_t* blk, Decoded& k) {
    const __m128i sc = _mm_loadu_si128((const __m128i*)(blk + 192));
    spread_scales_16(sc, k);
    k.mins = _mm256_cvtepi8_epi16(sc);
    k.d = half_to_float(blk + 208);
    k.dmin = 32.0f * k.d;  // q = u - 32
    for (int n = 0; n < 2; ++n) {
      const __m512i ql = _mm512_loadu_si512(blk + 64 * n);
      const __m512i qh = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i*)(blk + 128 + 32 * n)));
      const __m512i lo4 = _mm512_set1_epi8(0x0F);
      k.u[2 * n] = _mm512_or_si512(_mm512_and_si512(ql, lo4), _mm512_slli_epi16(planes64(qh, 0), 4));
      k.u[2 * n + 1] =
          _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(ql, 4), lo4), _mm512_slli_epi16(planes64(qh, 4), 4));
    }
  }
};

struct DecodeQ3_K {
  static constexpr int kBytes = sizeof(BlockQ3_K);
  static void decode(const uint8_t* blk, Decoded& k) {
    uint32_t aux[4];
    q3_k_scale_words(blk + 96, aux);
    const __m128i s = _mm_sub_epi8(_mm_setr_epi32(static_cast<int>(aux[0]), static_cast<int>(aux[1]),
                                                  static_cast<int>(aux[2]), static_cast<int>(aux[3])),
                                   _mm_set1_epi8(32));
    spread_scales_16(s, k);
    k.mins = _mm256_cvtepi8_epi16(s);
    k.d = half_to_float(blk + 108);
    k.dmin = 4.0f * k.d;  // q = u - 4
    const __m512i hm = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i*)blk));
    for (int n = 0; n < 2; ++n) {
      const __m512i q = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i*)(blk + 32 + 32 * n)));
      for (int h = 0; h < 2; ++h) {
        const __m512i u = planes64(q, 4 * h);
        const __mmask64 high = _mm512_test_epi8_mask(hm, bit_pair(4 * n + 2 * h, 4 * n + 2 * h + 1));
        k.u[2 * n + h] = _mm512_mask_add_epi8(u, high, u, _mm512_set1_epi8(4));
      }
    }
  }
};

struct DecodeQ2_K {
  static constexpr int kBytes = sizeof(BlockQ2_K);
  static void decode(const uint8_t* blk, Decoded& k) {
    const __m128i raw = _mm_loadu_si128((const __m128i*)blk);
    spread_scales_16(_mm_and_si128(raw, _mm_set1_epi8(0x0F)), k);
    k.mins = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(raw, 4), _mm_set1_epi8(0x0F)));
    k.d = half_to_float(blk + 80);
    k.dmin = half_to_float(blk + 82);
    for (int n = 0; n < 2; ++n) {
      const __m512i q = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i*)(blk + 16 + 32 * n)));
      k.u[2 * n] = planes64(q, 0);
      k.u[2 * n + 1] = planes64(q, 4);
    }
  }
};

// One weight row x A (up to 8) activation rows: the decode is shared by all A.
template <typename D, int A>
void tile(const GemmArgs& g, int64_t r, int64_t i0, bool prefetch) {
  const QuantizedActs& x = *g.x;
  const int64_t nb = g.cols / kQKK;
  const uint8_t* w = g.w + r * g.w_stride;
  __m512 acc[A];
  __m256 macc[A];
  for (int a = 0; a < A; ++a) {
    acc[a] = _mm512_setzero_ps();
    macc[a] = _mm256_setzero_ps();
  }
  const int8_t* xqs[A];  // row pointers hoisted: their strides need a division
  const float* xd[A];
  const int16_t* xbs[A];
  for (int a = 0; a < A; ++a) {
    xqs[a] = x.row_qs(i0 + a);
    xd[a] = x.row_d(i0 + a);
    xbs[a] = x.row_bsums(i0 + a);
  }
  Decoded k;
  for (int64_t b = 0; b < nb; ++b) {
    if (prefetch) prefetch_lines<(D::kBytes + 63) / 64, 4 * D::kBytes>(w + b * D::kBytes);
    D::decode(w + b * D::kBytes, k);
    for (int a = 0; a < A; ++a) {
      const int8_t* xq = xqs[a] + b * kQKK;
      __m512i isum = _mm512_setzero_si512();
      for (int c = 0; c < 4; ++c) {
        const __m512i p = _mm512_maddubs_epi16(k.u[c], _mm512_loadu_si512(xq + 64 * c));
        isum = _mm512_dpwssd_epi32(isum, p, k.sc[c]);
      }
      const __m256i bs = _mm256_loadu_si256((const __m256i*)(xbs[a] + b * 16));
      const float dx = xd[a][b];
      acc[a] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum), _mm512_set1_ps(k.d * dx), acc[a]);
      macc[a] =
          _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_madd_epi16(bs, k.mins)), _mm256_set1_ps(k.dmin * dx), macc[a]);
    }
  }
  for (int a = 0; a < A; ++a) {
    const __m256 m = macc[a];
    const __m128 m4 = _mm_add_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
    const __m128 m2 = _mm_add_ps(m4, _mm_movehl_ps(m4, m4));
    const float msum = _mm_cvtss_f32(_mm_add_ss(m2, _mm_movehdup_ps(m2)));
    g.y[(i0 + a) * g.ldy + r] = _mm512_reduce_add_ps(acc[a]) - msum;
  }
}

template <typename D>
void gemm(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  // Activation tiles outer: the thread's weight rows (chunks of at most 64
  // rows when m > 1) stay in L2 while each activation tile is reused from L1.
  // Rows go in RowQuad order: four sequential streams through the chunk.
  for_act_tiles<8>(i0, i1, [&](auto a, int64_t i) {
    for_row_quads(r0, r1, [&](const RowQuad& q) {
      for (int k = 0; k < q.n; ++k) tile<D, decltype(a)::value>(g, q.r[k], i, i == i0 && i1 - i0 > 1);
    });
  });
}

}  // namespace

GemmFn kquant_gemm(GgmlType t) {
  switch (t) {
    case GgmlType::Q2_K:
      return gemm<DecodeQ2_K>;
    case GgmlType::Q3_K:
      return gemm<DecodeQ3_K>;
    case GgmlType::Q4_K:
      return gemm<DecodeQ4_K>;
    case GgmlType::Q5_K:
      return gemm<DecodeQ5_K>;
    case GgmlType::Q6_K:
      return gemm<DecodeQ6_K>;
    default:
      return nullptr;
  }
}

}  // namespace cellar::kernels::avx512
