// AVX-512 VNNI gemm for Q6_K in the x16 layout (kernels/interleave.h), one
// zmm lane per weight row as in x16_avx512.cpp. ggml's Q6_K
// (dequantize_row_q6_K): in half n of a super-block, byte l of ql and qh give
//   q1 = ql[l]    & 15 | (qh[l] >> 0 & 3) << 4   element 128n +      l
//   q2 = ql[l+32] & 15 | (qh[l] >> 2 & 3) << 4   element 128n + 32 + l
//   q3 = ql[l]   >> 4  | (qh[l] >> 4 & 3) << 4   element 128n + 64 + l
//   q4 = ql[l+32] >> 4 | (qh[l] >> 6 & 3) << 4   element 128n + 96 + l
// each weighted (q - 32) * scales[element / 16] * d. vpdpbusd takes the
// unsigned q; each sub-block's sum starts at -32 * (its activations' sum),
// broadcast from memory, so the sub-block scale multiplies (q - 32) . x.
//
// Zen 4 runs one 512-bit multiply (vpdpbusd, vpmulld, vpdpwssd, FMA) and two
// 512-bit vector ops of any kind per cycle, so the m = 8 tile is bound by
// both: besides the multiplies, every register zeroing and decode op counts.
// Starting the sums at the offset (a load, no vector op) removed 128 zeroings
// and 64 vpdpwssd per super-block of 8 rows.
#include <cstddef>

#include "kernels/avx512/simd512.h"
#include "kernels/avx512/x16_common.h"
#include "kernels/blocks.h"
#include "kernels/gemm.h"
#include "kernels/prefetch.h"
#include "kernels/interleave.h"

namespace cellar::kernels::avx512 {
namespace {

// Sub-block scales of one super-block as int32 lanes; kept in L1 (the sums
// need the registers).
struct ScalesQ6_K {
  alignas(64) int32_t sc[16][16];
};

inline void unpack_scales(const int8_t* packed, ScalesQ6_K& out) {  // packed: [16][16]
  for (int k = 0; k < 16; ++k) {
    _mm512_store_si512(out.sc[k], _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(packed + 16 * k))));
  }
}

// -32 * (sum of sub-block k's activation quants) for k = 0..15 of super-block
// b of each row: the starting value of every sub-block sum.
template <int A>
struct OffsetsQ6_K {
  alignas(64) int32_t v[A][16];

  void fill(const ActRows<A>& x, int64_t b) {
    for (int a = 0; a < A; ++a) {
      const __m512i bs = _mm512_cvtepi16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(x.bsums[a] + 16 * b)));
      _mm512_store_si512(v[a], _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_slli_epi32(bs, 5)));
    }
  }
  __m512i start(int a, int k) const { return broadcast_load(&v[a][k]); }
};

// The 6-bit quants of quarter t (0..3) for chunk c of half n: four bytes of
// each of the 16 rows. Byte shifts are 16-bit shifts whose spill-over bits
// the masks drop: the high pair lands at bits 4-5 ((h >> 2t & 3) << 4 is
// h shifted by 4 - 2t, masked with 0x30), then one vpternlogd computes
// (low & 0x0F) | high.
[[gnu::always_inline]] inline __m512i quants(const uint8_t* ql, const uint8_t* qh, int n, int t, int c) {
  const __m512i l = _mm512_loadu_si512(ql + 64 * (16 * n + 8 * (t & 1) + c));
  const __m512i h = _mm512_loadu_si512(qh + 64 * (8 * n + c));
  const __m512i lo = t < 2 ? l : _mm512_srli_epi16(l, 4);
  const __m512i hs = t == 0 ? _mm512_slli_epi16(h, 4) : t == 1 ? _mm512_slli_epi16(h, 2) : t == 2 ? h : _mm512_srli_epi16(h, 2);
  const __m512i hi = _mm512_and_si512(hs, _mm512_set1_epi8(0x30));
  return _mm512_ternarylogic_epi32(lo, hi, _mm512_set1_epi8(0x0F), 0xEC);  // (lo & 0x0F) | hi
}

// Chunks 4h..4h+3 of quarters t and t + 1 of half n of one super-block;
// while they are read, a later block is prefetched two lines per chunk step.
struct Quarter {
  const uint8_t* ql;
  const uint8_t* qh;
  const char* next;
  int n, t, h;
  bool prefetch;

  [[gnu::always_inline]] void prefetch_step(int c) const {
    if (!prefetch) return;
    const int step = 16 * n + 8 * (t / 2) + c;  // 0..31
    prefetch_lines<2, 0>(next + 128 * step);
  }
};

// isum[a] += sc0 * (quarter t's sums) + sc1 * (quarter t + 1's) for A rows
// whose quarter t starts at element e0. Streamed: each chunk's two operands
// meet every row at once (two sums per row live).
template <int A>
[[gnu::always_inline]] inline void quarter_sums_streamed(const Quarter& q, const ActRows<A>& x, const OffsetsQ6_K<A>& off,
                                                         int64_t e0, int k0, const int32_t* sc0, const int32_t* sc1,
                                                         __m512i* isum) {
  __m512i s0[A], s1[A];
#pragma GCC unroll 4
  for (int a = 0; a < A; ++a) {
    s0[a] = off.start(a, k0);
    s1[a] = off.start(a, k0 + 2);
  }
#pragma GCC unroll 4
  for (int c = 4 * q.h; c < 4 * q.h + 4; ++c) {
    q.prefetch_step(c);
    const __m512i q0 = quants(q.ql, q.qh, q.n, q.t, c), q1 = quants(q.ql, q.qh, q.n, q.t + 1, c);
#pragma GCC unroll 8
    for (int a = 0; a < A; ++a) {
      const int8_t* xb = x.q[a] + e0 + 4 * c;
      s0[a] = _mm512_dpbusd_epi32(s0[a], q0, _mm512_set1_epi32(load_i32(xb)));
      s1[a] = _mm512_dpbusd_epi32(s1[a], q1, _mm512_set1_epi32(load_i32(xb + 32)));
    }
  }
#pragma GCC unroll 8
  for (int a = 0; a < A; ++a) isum[a] = add_scaled(isum[a], s0[a], sc0, s1[a], sc1);
}

// The same with the 8 operands decoded once into registers while the rows
// pass one after another: for 8 rows, whose sums would not fit beside them.
template <int A>
[[gnu::always_inline]] inline void quarter_sums_held(const Quarter& q, const ActRows<A>& x, const OffsetsQ6_K<A>& off,
                                                     int64_t e0, int k0, const int32_t* sc0, const int32_t* sc1,
                                                     __m512i* isum) {
  __m512i q0[4], q1[4];
#pragma GCC unroll 4
  for (int k = 0; k < 4; ++k) {
    q.prefetch_step(4 * q.h + k);
    q0[k] = quants(q.ql, q.qh, q.n, q.t, 4 * q.h + k);
    q1[k] = quants(q.ql, q.qh, q.n, q.t + 1, 4 * q.h + k);
  }
#pragma GCC unroll 8
  for (int a = 0; a < A; ++a) {
    const int8_t* xb = x.q[a] + e0 + 16 * q.h;
    __m512i s0 = off.start(a, k0), s1 = off.start(a, k0 + 2);
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) {
      s0 = _mm512_dpbusd_epi32(s0, q0[k], _mm512_set1_epi32(load_i32(xb + 4 * k)));
      s1 = _mm512_dpbusd_epi32(s1, q1[k], _mm512_set1_epi32(load_i32(xb + 32 + 4 * k)));
    }
    isum[a] = add_scaled(isum[a], s0, sc0, s1, sc1);
  }
}

// 16 Q6_K rows x A activation rows; kHeld picks quarter_sums_held (8-row
// tiles of batched decode) over quarter_sums_streamed. The helpers must be
// inlined: n, t and h have to be constants in quants() (not inlined, the
// tile ran at half speed).
template <int A, bool kHeld = false>
void tile(const GemmArgs& g, const uint8_t* grp, int64_t row0, int64_t i0, bool prefetch) {
  const int64_t nb = g.cols / kQKK;
  const ActRows<A> x(*g.x, i0);
  __m512 acc[A];  // [16 rows] per activation row
  for (int a = 0; a < A; ++a) acc[a] = _mm512_setzero_ps();
  ScalesQ6_K s;
  OffsetsQ6_K<A> off;
  for (int64_t b = 0; b < nb; ++b) {
    const uint8_t* blk = grp + b * sizeof(BlockQ6_Kx16);
    // A later block's 53 lines are prefetched two per chunk step, spread
    // over the block: a burst of 53 prefetches stalled on the miss buffers.
    // One activation row (decode) gets through a block too fast for one
    // block of lead: two ahead gave Q4_K_M decode +3% (kernel m=1 342-349 ->
    // 318-335 us); since the cheaper decode of the sixth session, four ahead
    // (5632x2048 m=1 404-451 -> 360-384 us, four interleaved pairs).
    constexpr int64_t kLead = A == 1 ? 4 : 1;
    const char* next = reinterpret_cast<const char*>(blk + kLead * sizeof(BlockQ6_Kx16));
    unpack_scales(reinterpret_cast<const int8_t*>(blk + offsetof(BlockQ6_Kx16, scales)), s);
    off.fill(x, b);
    const uint8_t* ql = blk + offsetof(BlockQ6_Kx16, ql);
    const uint8_t* qh = blk + offsetof(BlockQ6_Kx16, qh);
    __m512i isum[A];
#pragma GCC unroll 4
    for (int a = 0; a < A; ++a) isum[a] = _mm512_setzero_si512();
#pragma GCC unroll 2
    for (int n = 0; n < 2; ++n) {
#pragma GCC unroll 2
      for (int t = 0; t < 4; t += 2) {
#pragma GCC unroll 2
        for (int h = 0; h < 2; ++h) {  // chunks 4h..4h+3 = sub-blocks 8n + 2t + h and 8n + 2t + 2 + h
          const Quarter qt{ql, qh, next, n, t, h, prefetch};
          const int64_t e0 = b * kQKK + 128 * n + 32 * t;
          const int k0 = 8 * n + 2 * t + h;
          if constexpr (kHeld) {
            quarter_sums_held<A>(qt, x, off, e0, k0, s.sc[k0], s.sc[k0 + 2], isum);
          } else {
            quarter_sums_streamed<A>(qt, x, off, e0, k0, s.sc[k0], s.sc[k0 + 2], isum);
          }
        }
      }
    }
    const __m512 d = _mm512_cvtph_ps(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk + offsetof(BlockQ6_Kx16, d))));
#pragma GCC unroll 4
    for (int a = 0; a < A; ++a) {
      acc[a] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum[a]), _mm512_mul_ps(d, _mm512_set1_ps(x.d[a][b])), acc[a]);
    }
  }
  for (int a = 0; a < A; ++a) _mm512_storeu_ps(g.y + (i0 + a) * g.ldy + row0, acc[a]);
}

}  // namespace

// Batched decode (a few sequences) takes 8-row tiles with the operands held
// in registers (kernel m=8 686 -> 537 us); prefill keeps the 4-row tiles.
constexpr int64_t kHeldMaxRows = 16;

void gemm_q6_k_x16(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  for (int64_t r = r0; r < r1; r += kInterleave) {
    const uint8_t* grp = g.w + r * g.w_stride;
    int64_t i = i0;
    if (i1 - i0 <= kHeldMaxRows) {
      for (; i + 8 <= i1; i += 8) tile<8, true>(g, grp, r, i, i == i0);
    }
    if (i < i1) for_act_tiles<4>(i, i1, [&](auto a, int64_t j) { tile<decltype(a)::value>(g, grp, r, j, j == i0); });
  }
}

}  // namespace cellar::kernels::avx512
