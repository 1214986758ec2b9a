// AVX2 gemm for Q8_0 in the x16 layout (kernels/interleave.h). Block format:
// ggml's block_q8_0 (https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-common.h):
// an fp16 scale and 32 signed bytes.
//
// One ymm holds 8 of a group's 16 rows (4 bytes each of a 64-byte chunk).
// vpmaddubsw needs one unsigned operand, and q + 128 would overflow its int16
// pair sums (2 * 255 * 127), so the weights' signs move onto the activations:
// |w| * sign(x, w) (vpabsb, vpsignb), as ggml's AVX2 Q8_0 dot does. Both are
// within +-127 (ggml's quantizer and ours scale by amax / 127), so a pair sum
// is at most 2 * 127 * 127 = 32258 and each chunk's pairs go to int32 at once
// (vpmaddwd against ones): adding two in int16 could overflow.
#include "kernels/avx2/simd256.h"
#include "kernels/avx2/x16_common.h"

#include "kernels/blocks.h"
#include "kernels/gemm.h"
#include "kernels/interleave.h"

namespace cellar::kernels::avx2 {

GemmFn gemm_q8_0_x16();

namespace {

// Rows of H halves (H = 2: both, for decode; H = 1: half h) of a Q8_0 x16
// group x A activation rows from i0.
template <int A, int H>
void tile(const GemmArgs& g, const uint8_t* grp, int64_t row0, int64_t i0, int h, bool prefetch) {
  const int64_t nb = g.cols / kQK;
  const __m256i ones = _mm256_set1_epi16(1);
  const ActRows<A> x(*g.x, i0);
  __m256 acc[H][A];  // [8 rows] per half and activation row
  for (int k = 0; k < H; ++k) {
    for (int a = 0; a < A; ++a) acc[k][a] = _mm256_setzero_ps();
  }
  for (int64_t b = 0; b < nb; ++b) {
    const auto* blk = reinterpret_cast<const BlockQ8_0x16*>(grp) + b;
    static_assert(sizeof(BlockQ8_0x16) == 8 * 64 + 32);
    if (prefetch) prefetch_lines<9, 3072>(blk);
    __m256i isum[H][A];  // [8 rows] integer block sums
#pragma GCC unroll 2
    for (int k = 0; k < H; ++k) {
#pragma GCC unroll 4
      for (int a = 0; a < A; ++a) isum[k][a] = _mm256_setzero_si256();
    }
#pragma GCC unroll 8
    for (int c = 0; c < 8; ++c) {
#pragma GCC unroll 2
      for (int k = 0; k < H; ++k) {
        const int hh = H == 2 ? k : h;
        const __m256i w = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk->qs[c][8 * hh]));
        const __m256i aw = _mm256_abs_epi8(w);
#pragma GCC unroll 4
        for (int a = 0; a < A; ++a) {
          const __m256i p = _mm256_maddubs_epi16(aw, _mm256_sign_epi8(broadcast4(x.q[a] + b * kQK + 4 * c), w));
          isum[k][a] = _mm256_add_epi32(isum[k][a], _mm256_madd_epi16(p, ones));
        }
      }
    }
#pragma GCC unroll 2
    for (int k = 0; k < H; ++k) {
      const int hh = H == 2 ? k : h;
      const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blk->d + 8 * hh)));
#pragma GCC unroll 4
      for (int a = 0; a < A; ++a) {
        acc[k][a] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum[k][a]), _mm256_mul_ps(dw, _mm256_set1_ps(x.d[a][b])),
                                    acc[k][a]);
      }
    }
  }
  for (int k = 0; k < H; ++k) {
    const int hh = H == 2 ? k : h;
    for (int a = 0; a < A; ++a) _mm256_storeu_ps(g.y + (i0 + a) * g.ldy + row0 + 8 * hh, acc[k][a]);
  }
}

void gemm_q8_0(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  for_x16_tiles(
      g, r0, r1, i0, i1, [&](const uint8_t* grp, int64_t r, int64_t i) { tile<1, 2>(g, grp, r, i, 0, false); },
      [&](auto a, const uint8_t* grp, int64_t r, int64_t i, int h, bool prefetch) {
        tile<decltype(a)::value, 1>(g, grp, r, i, h, prefetch);
      });
}

}  // namespace

GemmFn gemm_q8_0_x16() { return gemm_q8_0; }

}  // namespace cellar::kernels::avx2
