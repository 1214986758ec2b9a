// AVX-512 VNNI gemm for the x16 layout (kernels/interleave.h): one zmm lane
// per weight row. For each block, chunk k of the 16 rows (64 bytes) meets
// activation bytes 4k..4k+3 broadcast to every lane, so eight vpdpbusd give
// the 16 rows' integer block sums with no horizontal reduction; the block's
// scales are one vcvtph2ps of the 16 fp16 row scales.
//
// vpdpbusd multiplies unsigned by signed bytes, so weights enter as
// u = q + offset (Q4_0: the raw nibble, offset 8; Q8_0: q ^ 0x80, offset
// 128) and each sum starts at -offset * (sum of the block's activations).
// Q4_K's nibbles are unsigned already; its 6-bit sub-block scales and mins
// are unpacked per super-block, 16 rows at a time, into int32 lanes.
#include "kernels/avx512/simd512.h"
#include "kernels/avx512/x16_common.h"

#include <cstddef>

#include "kernels/blocks.h"
#include "kernels/gemm.h"
#include "kernels/interleave.h"
#include "kernels/q4k_scales_sse.h"

namespace cellar::kernels::avx512 {
namespace {

struct X16Q4_0 {
  static constexpr int kBytes = sizeof(BlockQ4_0x16), kOffset = 8, kAhead = 2048;
  // qs: [4][64] bytes -> operands for element groups 0..7 (low nibbles of
  // chunk c are elements 4c.., high nibbles 16+4c..).
  static void decode(const uint8_t* qs, __m512i* w) {
    const __m512i mask = _mm512_set1_epi8(0x0F);
    for (int c = 0; c < 4; ++c) {
      const __m512i v = _mm512_loadu_si512(qs + 64 * c);
      w[c] = _mm512_and_si512(v, mask);
      w[c + 4] = _mm512_and_si512(_mm512_srli_epi16(v, 4), mask);
    }
  }
};

struct X16Q8_0 {
  static constexpr int kBytes = sizeof(BlockQ8_0x16), kOffset = 128, kAhead = 3072;
  static void decode(const uint8_t* qs, __m512i* w) {
    const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
    for (int k = 0; k < 8; ++k) w[k] = _mm512_xor_si512(_mm512_loadu_si512(qs + 64 * k), flip);
  }
};

// The weights stream from DRAM once per matmul when m is small; the
// hardware prefetcher alone left the m = 8 tiles waiting on memory about half
// the time (measured: Q4_0 668 -> 400 us, Q8_0 1045 -> 560 us for a 5632x2048
// matrix with 2 threads). Only the first activation tile of a group
// prefetches: later tiles find the group in L1/L2.
template <int kBytes, int kAhead>
inline void prefetch_block(const uint8_t* blk) {
  for (int o = 0; o < kBytes; o += 64) _mm_prefetch(reinterpret_cast<const char*>(blk + kAhead + o), _MM_HINT_T0);
}

// 16 weight rows starting at row0 (group `grp`) x A activation rows from i0.
template <typename D, int A>
void tile(const GemmArgs& g, const uint8_t* grp, int64_t row0, int64_t i0, bool prefetch) {
  const int64_t nb = g.cols / kQK;
  const ActRows<A> x(*g.x, i0);
  __m512 acc[A];  // [16 rows] per activation row
  for (int a = 0; a < A; ++a) acc[a] = _mm512_setzero_ps();
  for (int64_t b = 0; b < nb; ++b) {
    const uint8_t* blk = grp + b * D::kBytes;
    if (prefetch) prefetch_block<D::kBytes, D::kAhead>(blk);
    __m512i w[8];
    D::decode(blk + 2 * kInterleave, w);
    const __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk)));
    #pragma GCC unroll 8
    for (int a = 0; a < A; ++a) {
      const int8_t* xb = x.q[a] + b * kQK;
      const int xsum = x.bsums[a][2 * b] + x.bsums[a][2 * b + 1];
      // Two chains of four: one chain of eight left vpdpbusd's latency exposed when A is small.
      __m512i even = _mm512_set1_epi32(-D::kOffset * xsum), odd = _mm512_setzero_si512();
      #pragma GCC unroll 4
      for (int k = 0; k < 8; k += 2) {
        even = _mm512_dpbusd_epi32(even, w[k], _mm512_set1_epi32(load_i32(xb + 4 * k)));
        odd = _mm512_dpbusd_epi32(odd, w[k + 1], _mm512_set1_epi32(load_i32(xb + 4 * k + 4)));
      }
      const __m512i isum = _mm512_add_epi32(even, odd);
      acc[a] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum), _mm512_mul_ps(dw, _mm512_set1_ps(x.d[a][b])), acc[a]);
    }
  }
  for (int a = 0; a < A; ++a) _mm512_storeu_ps(g.y + (i0 + a) * g.ldy + row0, acc[a]);
}

// One activation row (decode) x four groups from the four quarters of the
// thread's chunk (for_row_quads): four DRAM streams per thread, and each
// block's activation bytes are broadcast once for all four groups. No
// software prefetch here: with four streams the hardware prefetchers do
// better alone (Q8_0 decode 29-30 -> 38-42 tok/s, Q4_0 +3%, interleaved
// runs), unlike the single-stream tiles.
template <typename D>
void tile_one(const GemmArgs& g, const RowQuad& q, int64_t i0) {
  const QuantizedActs& x = *g.x;
  const int64_t nb = g.cols / kQK;
  const int8_t* xq = x.row_qs(i0);    // [cols]
  const float* xd = x.row_d(i0);      // [nb]
  const int16_t* xs = x.row_bsums(i0);  // [cols / 16]
  const uint8_t* grp[4];
  __m512 acc[4];  // [16 rows] per group
#pragma GCC unroll 4
  for (int k = 0; k < 4; ++k) {
    grp[k] = g.w + q.r[k] * g.w_stride;
    acc[k] = _mm512_setzero_ps();
  }
  for (int64_t b = 0; b < nb; ++b) {
    __m512i xv[8];
#pragma GCC unroll 8
    for (int k = 0; k < 8; ++k) xv[k] = _mm512_set1_epi32(load_i32(xq + b * kQK + 4 * k));
    const __m512i init = _mm512_set1_epi32(-D::kOffset * (xs[2 * b] + xs[2 * b + 1]));
    const __m512 xdb = _mm512_set1_ps(xd[b]);
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) {
      const uint8_t* blk = grp[k] + b * D::kBytes;
      __m512i w[8];
      D::decode(blk + 2 * kInterleave, w);
      __m512i even = init, odd = _mm512_setzero_si512();
#pragma GCC unroll 4
      for (int c = 0; c < 8; c += 2) {
        even = _mm512_dpbusd_epi32(even, w[c], xv[c]);
        odd = _mm512_dpbusd_epi32(odd, w[c + 1], xv[c + 1]);
      }
      const __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk)));
      acc[k] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_add_epi32(even, odd)), _mm512_mul_ps(dw, xdb), acc[k]);
    }
  }
  for (int k = 0; k < q.n; ++k) _mm512_storeu_ps(g.y + i0 * g.ldy + q.r[k], acc[k]);
}

// Scales and mins of one Q4_K x16 super-block, one int32 lane per row
// (unpacked by kernels/q4k_scales_sse.h). They live in L1,
// not registers: the tile's sums already need most of the 32 zmm, and
// memory operands cost no extra instruction. The mins of sub-blocks 2j and
// 2j + 1 share a lane as two int16 (mnp[j]), so one vpdpwssd against the
// activations' sums of those two sub-blocks gives both min terms.
struct ScalesQ4_K {
  alignas(64) int32_t sc[8][16];
  alignas(64) int32_t mnp[4][16];
};

inline void unpack_scales(const uint8_t* packed, ScalesQ4_K& out) {  // packed: [12][16]
  __m512i even;
  unpack_q4k_scales(packed, [&](int j, __m128i sc, __m128i mn) {
    _mm512_store_si512(out.sc[j], _mm512_cvtepu8_epi32(sc));
    const __m512i m = _mm512_cvtepu8_epi32(mn);
    if (j % 2 == 0) {
      even = m;
    } else {
      _mm512_store_si512(out.mnp[j / 2], _mm512_or_si512(even, _mm512_slli_epi32(m, 16)));
    }
  });
}

// The activations' sums over sub-blocks 2j and 2j + 1 of one super-block as
// two int16 per int32 (|sum| <= 32 * 127 fits), from the 16-element sums bs.
struct SubBlockSums {
  alignas(16) int32_t pair[4];

  explicit SubBlockSums(const int16_t* bs) {  // bs: [16]
    const __m256i s32 = _mm256_madd_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(bs)), _mm256_set1_epi16(1));
    _mm_store_si128(reinterpret_cast<__m128i*>(pair), _mm256_cvtepi32_epi16(s32));
  }
};

// Per row: sum over the 8 sub-blocks of min * (sum of its activations).
inline __m512i min_sums(const ScalesQ4_K& s, const SubBlockSums& x) {
  __m512i sum = _mm512_setzero_si512();
#pragma GCC unroll 4
  for (int j = 0; j < 4; ++j) sum = _mm512_dpwssd_epi32(sum, _mm512_load_si512(s.mnp[j]), broadcast_load(&x.pair[j]));
  return sum;
}

// isum[a] += the integer sums of sub-blocks 2p (low nibbles of the 8 chunks
// at qs) and 2p + 1 (high nibbles) times their scales, for A activation rows
// whose sub-block pair starts at element e0. Streamed: each chunk is decoded
// and meets every row at once (two sums per row live).
template <int A>
[[gnu::always_inline]] inline void pair_sums_streamed(const uint8_t* qs, const ActRows<A>& x, int64_t e0, const int32_t* sc0,
                               const int32_t* sc1, __m512i* isum) {
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  __m512i s0[A], s1[A];
#pragma GCC unroll 8
  for (int a = 0; a < A; ++a) s0[a] = s1[a] = _mm512_setzero_si512();
#pragma GCC unroll 8
  for (int k = 0; k < 8; ++k) {
    const __m512i raw = _mm512_loadu_si512(qs + 64 * k);
    const __m512i lo = _mm512_and_si512(raw, m4), hi = _mm512_and_si512(_mm512_srli_epi16(raw, 4), m4);
#pragma GCC unroll 8
    for (int a = 0; a < A; ++a) {
      const int8_t* xb = x.q[a] + e0 + 4 * k;
      s0[a] = _mm512_dpbusd_epi32(s0[a], lo, _mm512_set1_epi32(load_i32(xb)));
      s1[a] = _mm512_dpbusd_epi32(s1[a], hi, _mm512_set1_epi32(load_i32(xb + 32)));
    }
  }
#pragma GCC unroll 8
  for (int a = 0; a < A; ++a) isum[a] = add_scaled(isum[a], s0[a], sc0, s1[a], sc1);
}

// The same with the 16 decoded operands held in registers while the rows
// pass one after another: for 8 rows, whose sums would not fit beside them.
template <int A>
[[gnu::always_inline]] inline void pair_sums_held(const uint8_t* qs, const ActRows<A>& x, int64_t e0, const int32_t* sc0,
                           const int32_t* sc1, __m512i* isum) {
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  __m512i lo[8], hi[8];
#pragma GCC unroll 8
  for (int k = 0; k < 8; ++k) {
    const __m512i raw = _mm512_loadu_si512(qs + 64 * k);
    lo[k] = _mm512_and_si512(raw, m4);
    hi[k] = _mm512_and_si512(_mm512_srli_epi16(raw, 4), m4);
  }
#pragma GCC unroll 8
  for (int a = 0; a < A; ++a) {
    const int8_t* xb = x.q[a] + e0;
    __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
#pragma GCC unroll 8
    for (int k = 0; k < 8; ++k) {
      s0 = _mm512_dpbusd_epi32(s0, lo[k], _mm512_set1_epi32(load_i32(xb + 4 * k)));
      s1 = _mm512_dpbusd_epi32(s1, hi[k], _mm512_set1_epi32(load_i32(xb + 32 + 4 * k)));
    }
    isum[a] = add_scaled(isum[a], s0, sc0, s1, sc1);
  }
}

// 16 Q4_K rows x A activation rows: per sub-block pair p, the 8 chunks give
// the low-nibble (sub-block 2p) and high-nibble (2p+1) operands. kHeld picks
// pair_sums_held (8-row tiles of batched decode) over pair_sums_streamed.
template <int A, bool kHeld = false>
void tile_q4_k(const GemmArgs& g, const uint8_t* grp, int64_t row0, int64_t i0, bool prefetch) {
  const int64_t nb = g.cols / kQKK;
  const ActRows<A> x(*g.x, i0);
  __m512 acc[A];  // [16 rows] per activation row
  for (int a = 0; a < A; ++a) acc[a] = _mm512_setzero_ps();
  ScalesQ4_K s;
  for (int64_t b = 0; b < nb; ++b) {
    const uint8_t* blk = grp + b * sizeof(BlockQ4_Kx16);
    // The super-block two ahead (36 lines) is prefetched 9 lines per
    // sub-block pair: as one burst at the top of the block it stalled on the
    // L1 miss buffers (m=8 342 -> 414-432 GFLOP/s when spread).
    static_assert(sizeof(BlockQ4_Kx16) == 4 * 9 * 64);
    const char* ahead = reinterpret_cast<const char*>(blk + 2 * sizeof(BlockQ4_Kx16));
    unpack_scales(blk + offsetof(BlockQ4_Kx16, scales), s);
    const uint8_t* qs = blk + offsetof(BlockQ4_Kx16, qs);
    __m512i isum[A];
#pragma GCC unroll 8
    for (int a = 0; a < A; ++a) isum[a] = _mm512_setzero_si512();
    for (int p = 0; p < 4; ++p) {
      if (prefetch) {
        for (int l = 0; l < 9; ++l) _mm_prefetch(ahead + 64 * (9 * p + l), _MM_HINT_T0);
      }
      const uint8_t* qp = qs + 64 * 8 * p;
      const int64_t e0 = b * kQKK + 64 * p;
      if constexpr (kHeld) {
        pair_sums_held<A>(qp, x, e0, s.sc[2 * p], s.sc[2 * p + 1], isum);
      } else {
        pair_sums_streamed<A>(qp, x, e0, s.sc[2 * p], s.sc[2 * p + 1], isum);
      }
    }
    const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk)));
    const __m512 dmin = _mm512_cvtph_ps(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk + offsetof(BlockQ4_Kx16, dmin))));
#pragma GCC unroll 8
    for (int a = 0; a < A; ++a) {
      const __m512i msum = min_sums(s, SubBlockSums(x.bsums[a] + b * 16));
      const __m512 xdb = _mm512_set1_ps(x.d[a][b]);
      acc[a] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum[a]), _mm512_mul_ps(d, xdb), acc[a]);
      acc[a] = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(msum), _mm512_mul_ps(dmin, xdb), acc[a]);
    }
  }
  for (int a = 0; a < A; ++a) _mm512_storeu_ps(g.y + (i0 + a) * g.ldy + row0, acc[a]);
}

// One activation row x four Q4_K groups from the four quarters of the chunk
// (as tile_one above): the single-group tile with prefetching reached
// 26-32 GB/s in decode.
void tile_one_q4_k(const GemmArgs& g, const RowQuad& q, int64_t i0) {
  const int64_t nb = g.cols / kQKK;
  const __m512i m4 = _mm512_set1_epi8(0x0F);
  const ActRows<1> x(*g.x, i0);
  const uint8_t* grp[4];
  __m512 acc[4];  // [16 rows] per group
  ScalesQ4_K s[4];
#pragma GCC unroll 4
  for (int k = 0; k < 4; ++k) {
    grp[k] = g.w + q.r[k] * g.w_stride;
    acc[k] = _mm512_setzero_ps();
  }
  for (int64_t b = 0; b < nb; ++b) {
    const uint8_t* blk[4];
    for (int k = 0; k < 4; ++k) {
      blk[k] = grp[k] + b * sizeof(BlockQ4_Kx16);
      unpack_scales(blk[k] + offsetof(BlockQ4_Kx16, scales), s[k]);
    }
    __m512i isum[4];
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) isum[k] = _mm512_setzero_si512();
    for (int p = 0; p < 4; ++p) {
      __m512i s0[4], s1[4];
#pragma GCC unroll 4
      for (int k = 0; k < 4; ++k) s0[k] = s1[k] = _mm512_setzero_si512();
#pragma GCC unroll 8
      for (int c = 0; c < 8; ++c) {
        const int8_t* xb = x.q[0] + b * kQKK + 64 * p + 4 * c;
        const __m512i xlo = _mm512_set1_epi32(load_i32(xb)), xhi = _mm512_set1_epi32(load_i32(xb + 32));
#pragma GCC unroll 4
        for (int k = 0; k < 4; ++k) {
          const __m512i raw = _mm512_loadu_si512(blk[k] + offsetof(BlockQ4_Kx16, qs) + 64 * (8 * p + c));
          s0[k] = _mm512_dpbusd_epi32(s0[k], _mm512_and_si512(raw, m4), xlo);
          s1[k] = _mm512_dpbusd_epi32(s1[k], _mm512_and_si512(_mm512_srli_epi16(raw, 4), m4), xhi);
        }
      }
#pragma GCC unroll 4
      for (int k = 0; k < 4; ++k) {
        isum[k] = add_scaled(isum[k], s0[k], s[k].sc[2 * p], s1[k], s[k].sc[2 * p + 1]);
      }
    }
    const SubBlockSums xs(x.bsums[0] + b * 16);
    const __m512 xdb = _mm512_set1_ps(x.d[0][b]);
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) {
      const __m512i msum = min_sums(s[k], xs);
      const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk[k])));
      const __m512 dmin = _mm512_cvtph_ps(
          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk[k] + offsetof(BlockQ4_Kx16, dmin))));
      acc[k] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum[k]), _mm512_mul_ps(d, xdb), acc[k]);
      acc[k] = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(msum), _mm512_mul_ps(dmin, xdb), acc[k]);
    }
  }
  for (int k = 0; k < q.n; ++k) _mm512_storeu_ps(g.y + i0 * g.ldy + q.r[k], acc[k]);
}

// Batched decode (a few sequences) takes 8-row tiles, weights decoded once
// for 8 rows (kernel m=8 427-441 -> 460-512 GFLOP/s). Prefill keeps 4-row
// tiles, which are faster there (m=128 561-584 vs 535-556 GFLOP/s).
constexpr int64_t kQ4K8MaxRows = 16;

void gemm_q4_k(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  if (i1 - i0 == 1) {
    return for_row_quads(r0, r1, [&](const RowQuad& q) { tile_one_q4_k(g, q, i0); }, int64_t{kInterleave});
  }
  for (int64_t r = r0; r < r1; r += kInterleave) {
    const uint8_t* grp = g.w + r * g.w_stride;
    int64_t i = i0;
    if (i1 - i0 <= kQ4K8MaxRows) {
      for (; i + 8 <= i1; i += 8) tile_q4_k<8, true>(g, grp, r, i, i == i0);
    }
    if (i < i1) for_act_tiles<4>(i, i1, [&](auto a, int64_t j) { tile_q4_k<decltype(a)::value>(g, grp, r, j, j == i0); });
  }
}

template <typename D>
void gemm(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  if (i1 - i0 == 1) return for_row_quads(r0, r1, [&](const RowQuad& q) { tile_one<D>(g, q, i0); }, int64_t{kInterleave});
  // A group's weights (16 rows, <= 100 KB) stay in L1/L2 while every
  // activation tile of the block passes over them.
  for (int64_t r = r0; r < r1; r += kInterleave) {
    const uint8_t* grp = g.w + r * g.w_stride;  // group r / 16 starts at byte r * row size
    for_act_tiles<8>(i0, i1, [&](auto a, int64_t i) { tile<D, decltype(a)::value>(g, grp, r, i, i == i0); });
  }
}

}  // namespace

void gemm_f16_x16(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1);   // x16_f16_avx512.cpp
void gemm_q6_k_x16(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1);  // x16_q6k_avx512.cpp

GemmFn gemm_x16(GgmlType t) {
  switch (t) {
    case GgmlType::Q4_0:
      return gemm<X16Q4_0>;
    case GgmlType::Q8_0:
      return gemm<X16Q8_0>;
    case GgmlType::Q4_K:
      return gemm_q4_k;
    case GgmlType::Q6_K:
      return gemm_q6_k_x16;
    case GgmlType::F16:
      return gemm_f16_x16;
    default:
      return nullptr;
  }
}

}  // namespace cellar::kernels::avx512
