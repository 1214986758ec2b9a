// AVX-512 VNNI gemm for Q4_K and Q5_K in the x16 layout (kernels/interleave.h),
// one zmm lane per weight row as in x16_avx512.cpp. Both formats share
// ggml's super-block of 8 sub-blocks of 32 (dequantize_row_q4_K / _q5_K in
// https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-quants.c):
//   x = d * sc[j] * q - dmin * m[j],  j = element / 32,
// with q a nibble (Q4_K) or a nibble plus a fifth bit from qh (Q5_K: bit 2p
// of qh[l] for element 64p + l, bit 2p + 1 for element 64p + 32 + l). The
// quants are unsigned, so vpdpbusd takes them as they are; the 6-bit scales
// and mins are unpacked per super-block, 16 rows at a time, into int32 lanes.
#include <cstddef>

#include "kernels/avx512/simd512.h"
#include "kernels/avx512/x16_common.h"
#include "kernels/blocks.h"
#include "kernels/gemm.h"
#include "kernels/prefetch.h"
#include "kernels/interleave.h"
#include "kernels/q4k_scales_sse.h"

namespace cellar::kernels::avx512 {
namespace {

// The two operands of chunk c (0..7) of sub-block pair p (0..3): quants of
// sub-block 2p (low nibbles) and 2p + 1 (high nibbles), four per lane.
struct BitsQ4_K {
  using Block = BlockQ4_Kx16;
  [[gnu::always_inline]] static void operands(const uint8_t* blk, int p, int c, __m512i& lo, __m512i& hi) {
    const __m512i m4 = _mm512_set1_epi8(0x0F);
    const __m512i raw = _mm512_loadu_si512(blk + offsetof(Block, qs) + 64 * (8 * p + c));
    lo = _mm512_and_si512(raw, m4);
    hi = _mm512_and_si512(_mm512_srli_epi16(raw, 4), m4);
  }
};

// Q5_K: qh >> 2p puts the fifth bits of both sub-blocks at bits 0 and 1 of
// each byte (16-bit shifts: 2p <= 6 keeps a byte's bits in the byte); they
// move to bit 4 and join the nibble in one vpternlogd, (n & 0x0F) | h.
struct BitsQ5_K {
  using Block = BlockQ5_Kx16;
  [[gnu::always_inline]] static void operands(const uint8_t* blk, int p, int c, __m512i& lo, __m512i& hi) {
    const __m512i m4 = _mm512_set1_epi8(0x0F), bit4 = _mm512_set1_epi8(0x10);
    const __m512i raw = _mm512_loadu_si512(blk + offsetof(Block, qs) + 64 * (8 * p + c));
    const __m512i qh = _mm512_loadu_si512(blk + offsetof(Block, qh) + 64 * c);
    const __m512i t = _mm512_srl_epi16(qh, _mm_cvtsi32_si128(2 * p));
    const __m512i h0 = _mm512_and_si512(_mm512_slli_epi16(t, 4), bit4);
    const __m512i h1 = _mm512_and_si512(_mm512_slli_epi16(t, 3), bit4);
    lo = _mm512_ternarylogic_epi32(raw, h0, m4, 0xEC);
    hi = _mm512_ternarylogic_epi32(_mm512_srli_epi16(raw, 4), h1, m4, 0xEC);
  }
};

// Scales and mins of one x16 super-block, one int32 lane per row (unpacked
// by kernels/q4k_scales_sse.h). They live in L1, not registers: the tile's
// sums already need most of the 32 zmm, and memory operands cost no extra
// instruction. The mins of sub-blocks 2j and 2j + 1 share a lane as two
// int16 (mnp[j]), so one vpdpwssd against the activations' sums of those two
// sub-blocks gives both min terms.
struct Scales {
  alignas(64) int32_t sc[8][16];
  alignas(64) int32_t mnp[4][16];
};

inline void unpack_scales(const uint8_t* packed, Scales& out) {  // packed: [12][16]
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
inline __m512i min_sums(const Scales& s, const SubBlockSums& x) {
  __m512i sum = _mm512_setzero_si512();
#pragma GCC unroll 4
  for (int j = 0; j < 4; ++j) sum = _mm512_dpwssd_epi32(sum, _mm512_load_si512(s.mnp[j]), broadcast_load(&x.pair[j]));
  return sum;
}

// acc += d * x_d * isum - dmin * x_d * msum for one activation row.
inline __m512 scale_and_add(__m512 acc, __m512i isum, __m512i msum, const uint8_t* blk, float xd, size_t dmin_at) {
  const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk)));
  const __m512 dmin = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk + dmin_at)));
  const __m512 xdb = _mm512_set1_ps(xd);
  acc = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum), _mm512_mul_ps(d, xdb), acc);
  return _mm512_fnmadd_ps(_mm512_cvtepi32_ps(msum), _mm512_mul_ps(dmin, xdb), acc);
}

// isum[a] += the integer sums of sub-blocks 2p and 2p + 1 times their scales,
// for A activation rows whose sub-block pair starts at element e0. Streamed:
// each chunk is decoded and meets every row at once (two sums per row live).
template <typename K, int A>
[[gnu::always_inline]] inline void pair_sums_streamed(const uint8_t* blk, int p, const ActRows<A>& x, int64_t e0,
                                                      const Scales& s, __m512i* isum) {
  __m512i s0[A], s1[A];
#pragma GCC unroll 8
  for (int a = 0; a < A; ++a) s0[a] = s1[a] = _mm512_setzero_si512();
#pragma GCC unroll 8
  for (int k = 0; k < 8; ++k) {
    __m512i lo, hi;
    K::operands(blk, p, k, lo, hi);
#pragma GCC unroll 8
    for (int a = 0; a < A; ++a) {
      const int8_t* xb = x.q[a] + e0 + 4 * k;
      s0[a] = _mm512_dpbusd_epi32(s0[a], lo, _mm512_set1_epi32(load_i32(xb)));
      s1[a] = _mm512_dpbusd_epi32(s1[a], hi, _mm512_set1_epi32(load_i32(xb + 32)));
    }
  }
#pragma GCC unroll 8
  for (int a = 0; a < A; ++a) isum[a] = add_scaled(isum[a], s0[a], s.sc[2 * p], s1[a], s.sc[2 * p + 1]);
}

// The same with the 16 decoded operands held in registers while the rows
// pass one after another: for 8 rows, whose sums would not fit beside them.
template <typename K, int A>
[[gnu::always_inline]] inline void pair_sums_held(const uint8_t* blk, int p, const ActRows<A>& x, int64_t e0,
                                                  const Scales& s, __m512i* isum) {
  __m512i lo[8], hi[8];
#pragma GCC unroll 8
  for (int k = 0; k < 8; ++k) K::operands(blk, p, k, lo[k], hi[k]);
#pragma GCC unroll 8
  for (int a = 0; a < A; ++a) {
    const int8_t* xb = x.q[a] + e0;
    __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
#pragma GCC unroll 8
    for (int k = 0; k < 8; ++k) {
      s0 = _mm512_dpbusd_epi32(s0, lo[k], _mm512_set1_epi32(load_i32(xb + 4 * k)));
      s1 = _mm512_dpbusd_epi32(s1, hi[k], _mm512_set1_epi32(load_i32(xb + 32 + 4 * k)));
    }
    isum[a] = add_scaled(isum[a], s0, s.sc[2 * p], s1, s.sc[2 * p + 1]);
  }
}

// 16 rows x A activation rows. kHeld picks pair_sums_held (8-row tiles of
// batched decode) over pair_sums_streamed.
template <typename K, int A, bool kHeld = false>
void tile(const GemmArgs& g, const uint8_t* grp, int64_t row0, int64_t i0, bool prefetch) {
  using Block = typename K::Block;
  // The super-block two ahead is prefetched a quarter per sub-block pair: as
  // one burst at the top of the block it stalled on the L1 miss buffers
  // (Q4_K m=8 342 -> 414-432 GFLOP/s when spread).
  constexpr int kQuarterLines = sizeof(Block) / 64 / 4;
  static_assert(sizeof(Block) == 4 * 64 * kQuarterLines);
  const int64_t nb = g.cols / kQKK;
  const ActRows<A> x(*g.x, i0);
  __m512 acc[A];  // [16 rows] per activation row
  for (int a = 0; a < A; ++a) acc[a] = _mm512_setzero_ps();
  Scales s;
  for (int64_t b = 0; b < nb; ++b) {
    const uint8_t* blk = grp + b * sizeof(Block);
    const char* ahead = reinterpret_cast<const char*>(blk + 2 * sizeof(Block));
    unpack_scales(blk + offsetof(Block, scales), s);
    __m512i isum[A];
#pragma GCC unroll 8
    for (int a = 0; a < A; ++a) isum[a] = _mm512_setzero_si512();
    for (int p = 0; p < 4; ++p) {
      if (prefetch) prefetch_lines<kQuarterLines, 0>(ahead + 64 * kQuarterLines * p);
      const int64_t e0 = b * kQKK + 64 * p;
      if constexpr (kHeld) {
        pair_sums_held<K, A>(blk, p, x, e0, s, isum);
      } else {
        pair_sums_streamed<K, A>(blk, p, x, e0, s, isum);
      }
    }
#pragma GCC unroll 8
    for (int a = 0; a < A; ++a) {
      const __m512i msum = min_sums(s, SubBlockSums(x.bsums[a] + b * 16));
      acc[a] = scale_and_add(acc[a], isum[a], msum, blk, x.d[a][b], offsetof(Block, dmin));
    }
  }
  for (int a = 0; a < A; ++a) _mm512_storeu_ps(g.y + (i0 + a) * g.ldy + row0, acc[a]);
}

// One activation row x four groups from the four quarters of the chunk (as
// x16_avx512.cpp's tile_one): four DRAM streams per thread; the single-group
// tile with prefetching reached 26-32 GB/s in decode.
template <typename K>
void tile_one(const GemmArgs& g, const RowQuad& q, int64_t i0) {
  using Block = typename K::Block;
  const int64_t nb = g.cols / kQKK;
  const ActRows<1> x(*g.x, i0);
  const uint8_t* grp[4];
  __m512 acc[4];  // [16 rows] per group
  Scales s[4];
#pragma GCC unroll 4
  for (int k = 0; k < 4; ++k) {
    grp[k] = g.w + q.r[k] * g.w_stride;
    acc[k] = _mm512_setzero_ps();
  }
  for (int64_t b = 0; b < nb; ++b) {
    const uint8_t* blk[4];
    for (int k = 0; k < 4; ++k) {
      blk[k] = grp[k] + b * sizeof(Block);
      unpack_scales(blk[k] + offsetof(Block, scales), s[k]);
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
          __m512i lo, hi;
          K::operands(blk[k], p, c, lo, hi);
          s0[k] = _mm512_dpbusd_epi32(s0[k], lo, xlo);
          s1[k] = _mm512_dpbusd_epi32(s1[k], hi, xhi);
        }
      }
#pragma GCC unroll 4
      for (int k = 0; k < 4; ++k) {
        isum[k] = add_scaled(isum[k], s0[k], s[k].sc[2 * p], s1[k], s[k].sc[2 * p + 1]);
      }
    }
    const SubBlockSums xs(x.bsums[0] + b * 16);
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) {
      acc[k] = scale_and_add(acc[k], isum[k], min_sums(s[k], xs), blk[k], x.d[0][b], offsetof(Block, dmin));
    }
  }
  for (int k = 0; k < q.n; ++k) _mm512_storeu_ps(g.y + i0 * g.ldy + q.r[k], acc[k]);
}

// Batched decode (a few sequences) takes 8-row tiles, weights decoded once
// for 8 rows (Q4_K kernel m=8 427-441 -> 460-512 GFLOP/s). Prefill keeps
// 4-row tiles, which are faster there (m=128 561-584 vs 535-556 GFLOP/s).
constexpr int64_t kHeldMaxRows = 16;

template <typename K>
void gemm(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  if (i1 - i0 == 1) {
    return for_row_quads(r0, r1, [&](const RowQuad& q) { tile_one<K>(g, q, i0); }, int64_t{kInterleave});
  }
  for (int64_t r = r0; r < r1; r += kInterleave) {
    const uint8_t* grp = g.w + r * g.w_stride;
    int64_t i = i0;
    if (i1 - i0 <= kHeldMaxRows) {
      for (; i + 8 <= i1; i += 8) tile<K, 8, true>(g, grp, r, i, i == i0);
    }
    if (i < i1) for_act_tiles<4>(i, i1, [&](auto a, int64_t j) { tile<K, decltype(a)::value>(g, grp, r, j, j == i0); });
  }
}

}  // namespace

void gemm_q4_k_x16(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) { gemm<BitsQ4_K>(g, r0, r1, i0, i1); }
void gemm_q5_k_x16(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) { gemm<BitsQ5_K>(g, r0, r1, i0, i1); }

}  // namespace cellar::kernels::avx512
