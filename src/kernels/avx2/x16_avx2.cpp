// AVX2 gemm for the x16 layout (kernels/interleave.h): Q4_0 here, Q4_K and
// Q8_0 in x16_q4k_avx2.cpp and x16_q8_avx2.cpp. A 64-byte chunk holds 4 bytes
// of each of the 16 rows, so one ymm takes 8 rows: with activation bytes
// 4k..4k+3 broadcast to every lane, vpmaddubsw multiplies the unsigned
// nibbles by them and leaves two int16 pair sums per row. The 8 products of a
// block (4 chunks x low/high nibbles) add up in int16 (at most
// 8 * 2 * 15 * 127 = 30480, no overflow) before one vpmaddwd makes the row's
// int32 sum, so a block costs 8 + 7 + 1 integer instructions per 8 rows and
// activation row. Nibbles enter as q + 8, so each sum is corrected by
// -8 * (sum of the block's activations), as in the AVX-512 kernel.
// Q6_K keeps the row layout on AVX2: an x16 tile written like these read
// 6-11 GB/s at m = 1 from memory against the row kernel's 18-29.
#include "kernels/avx2/simd256.h"
#include "kernels/avx2/x16_common.h"

#include <cstring>

#include "kernels/blocks.h"
#include "kernels/gemm.h"
#include "kernels/interleave.h"

namespace cellar::kernels::avx2 {
namespace {

// Rows of H halves (H = 2: both, for decode; H = 1: half h) of a Q4_0 x16
// group x A activation rows from i0.
template <int A, int H>
void tile_q4_0(const GemmArgs& g, const uint8_t* grp, int64_t row0, int64_t i0, int h, bool prefetch) {
  const int64_t nb = g.cols / kQK;
  const __m256i m4 = _mm256_set1_epi8(0x0F);
  const ActRows<A> x(*g.x, i0);
  __m256 acc[H][A];  // [8 rows] per half and activation row
  for (int k = 0; k < H; ++k) {
    for (int a = 0; a < A; ++a) acc[k][a] = _mm256_setzero_ps();
  }
  for (int64_t b = 0; b < nb; ++b) {
    const auto* blk = reinterpret_cast<const BlockQ4_0x16*>(grp) + b;
    static_assert(sizeof(BlockQ4_0x16) == 4 * 64 + 32);
    if (prefetch) prefetch_lines<5, 2048>(blk);
#pragma GCC unroll 2
    for (int k = 0; k < H; ++k) {
      const int hh = H == 2 ? k : h;
      const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blk->d + 8 * hh)));
      __m256i lo[4], hi[4];
      for (int c = 0; c < 4; ++c) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk->qs[c][8 * hh]));
        lo[c] = _mm256_and_si256(v, m4);
        hi[c] = _mm256_and_si256(_mm256_srli_epi16(v, 4), m4);
      }
#pragma GCC unroll 4
      for (int a = 0; a < A; ++a) {
        const int8_t* xb = x.q[a] + b * kQK;
        __m256i s16 = _mm256_maddubs_epi16(lo[0], broadcast4(xb));
        s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(hi[0], broadcast4(xb + 16)));
#pragma GCC unroll 3
        for (int c = 1; c < 4; ++c) {
          s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(lo[c], broadcast4(xb + 4 * c)));
          s16 = _mm256_add_epi16(s16, _mm256_maddubs_epi16(hi[c], broadcast4(xb + 16 + 4 * c)));
        }
        const int xsum = x.bsums[a][2 * b] + x.bsums[a][2 * b + 1];
        const __m256i isum = _mm256_sub_epi32(pairs_to_i32(s16), _mm256_set1_epi32(8 * xsum));
        acc[k][a] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_mul_ps(dw, _mm256_set1_ps(x.d[a][b])), acc[k][a]);
      }
    }
  }
  for (int k = 0; k < H; ++k) {
    const int hh = H == 2 ? k : h;
    for (int a = 0; a < A; ++a) _mm256_storeu_ps(g.y + (i0 + a) * g.ldy + row0 + 8 * hh, acc[k][a]);
  }
}

void gemm_q4_0(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  for_x16_tiles(
      g, r0, r1, i0, i1, [&](const uint8_t* grp, int64_t r, int64_t i) { tile_q4_0<1, 2>(g, grp, r, i, 0, false); },
      [&](auto a, const uint8_t* grp, int64_t r, int64_t i, int h, bool prefetch) {
        tile_q4_0<decltype(a)::value, 1>(g, grp, r, i, h, prefetch);
      });
}

}  // namespace

GemmFn gemm_q4_k_x16();  // x16_q4k_avx2.cpp
GemmFn gemm_q5_k_x16();  // x16_q4k_avx2.cpp
GemmFn gemm_q8_0_x16();  // x16_q8_avx2.cpp

GemmFn gemm_x16(GgmlType t) {
  switch (t) {
    case GgmlType::Q4_0:
      return gemm_q4_0;
    case GgmlType::Q4_K:
      return gemm_q4_k_x16();
    case GgmlType::Q5_K:
      return gemm_q5_k_x16();
    case GgmlType::Q8_0:
      return gemm_q8_0_x16();
    default:
      return nullptr;
  }
}

}  // namespace cellar::kernels::avx2
