// AVX-512 VNNI gemm for the x16 layout (kernels/interleave.h): one zmm lane
// per weight row. For each block, chunk k of the 16 rows (64 bytes) meets
// activation bytes 4k..4k+3 broadcast to every lane, so eight vpdpbusd give
// the 16 rows' integer block sums with no horizontal reduction; the block's
// scales are one vcvtph2ps of the 16 fp16 row scales.
//
// vpdpbusd multiplies unsigned by signed bytes, so weights enter as
// u = q + offset (Q4_0: the raw nibble, offset 8; Q8_0: q ^ 0x80, offset
// 128) and each sum starts at -offset * (sum of the block's activations).
// Q4_K and Q5_K are in x16_k45_avx512.cpp, Q6_K in x16_q6k_avx512.cpp.
#include "kernels/avx512/simd512.h"
#include "kernels/avx512/x16_common.h"

#include <cstddef>

#include "kernels/blocks.h"
#include "kernels/gemm.h"
#include "kernels/prefetch.h"
#include "kernels/interleave.h"

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
// prefetches (kernels/prefetch.h): later tiles find the group in L1/L2.

// 16 weight rows starting at row0 (group `grp`) x A activation rows from i0.
template <typename D, int A>
void tile(const GemmArgs& g, const uint8_t* grp, int64_t row0, int64_t i0, bool prefetch) {
  const int64_t nb = g.cols / kQK;
  const ActRows<A> x(*g.x, i0);
  __m512 acc[A];  // [16 rows] per activation row
  for (int a = 0; a < A; ++a) acc[a] = _mm512_setzero_ps();
  for (int64_t b = 0; b < nb; ++b) {
    const uint8_t* blk = grp + b * D::kBytes;
    if (prefetch) prefetch_lines<(D::kBytes + 63) / 64, D::kAhead>(blk);
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
void gemm_q4_k_x16(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1);  // x16_k45_avx512.cpp
void gemm_q5_k_x16(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1);  // x16_k45_avx512.cpp
void gemm_q6_k_x16(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1);  // x16_q6k_avx512.cpp

GemmFn gemm_x16(GgmlType t) {
  switch (t) {
    case GgmlType::Q4_0:
      return gemm<X16Q4_0>;
    case GgmlType::Q8_0:
      return gemm<X16Q8_0>;
    case GgmlType::Q4_K:
      return gemm_q4_k_x16;
    case GgmlType::Q5_K:
      return gemm_q5_k_x16;
    case GgmlType::Q6_K:
      return gemm_q6_k_x16;
    case GgmlType::F16:
      return gemm_f16_x16;
    default:
      return nullptr;
  }
}

}  // namespace cellar::kernels::avx512
