// AVX-512 gemm for F16 weights in the x16 layout (kernels/interleave.h):
// a group is [cols][16 rows], so one vcvtph2ps gives column c of 16 rows and
// each activation row adds x[a][c] * that column to its 16 row sums with one
// FMA whose broadcast comes from memory: no horizontal reductions, unlike the
// row-major 4 x 6 dot-product tile (float_avx512.cpp), whose activations and
// weights both came from L2.
#include "kernels/avx512/simd512.h"
#include "kernels/gemm.h"
#include "kernels/interleave.h"

namespace cellar::kernels::avx512 {
namespace {

// Bytes ahead of the current column that the first activation tile of a
// group prefetches (weights stream from DRAM once per matmul when m is small).
constexpr int kAhead = 2048;

inline __m512 column(const uint16_t* w, int64_t c) {
  return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + c * kInterleave)));
}

// One activation row (decode) over four groups at once, taken from the four
// quarters of the thread's chunk: four concurrent DRAM streams per thread
// read faster than one on the machines measured (a single stream per thread
// left decode at 30 GB/s where the row kernel's four streams reach 40).
// Two accumulators per group over alternating columns hide the FMA latency.
void tile_one(const GemmArgs& g, const RowQuad& q, int64_t i0) {
  const float* x = g.x->row_f(i0);
  const uint16_t* w[4];  // [cols][16] per group
  for (int k = 0; k < 4; ++k) w[k] = reinterpret_cast<const uint16_t*>(g.w + q.r[k] * g.w_stride);
  __m512 acc[4][2];
#pragma GCC unroll 4
  for (int k = 0; k < 4; ++k) acc[k][0] = acc[k][1] = _mm512_setzero_ps();
  for (int64_t c = 0; c < g.cols; c += 2) {
    const __m512 x0 = _mm512_set1_ps(x[c]), x1 = _mm512_set1_ps(x[c + 1]);
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k) {
      acc[k][0] = _mm512_fmadd_ps(column(w[k], c), x0, acc[k][0]);
      acc[k][1] = _mm512_fmadd_ps(column(w[k], c + 1), x1, acc[k][1]);
    }
  }
  for (int k = 0; k < q.n; ++k) _mm512_storeu_ps(g.y + i0 * g.ldy + q.r[k], _mm512_add_ps(acc[k][0], acc[k][1]));
}

// 16 rows x A activation rows (A <= 8: 95% of the FMA peak at m = 128, where
// 12 rows measured slower).
template <int A>
void tile(const GemmArgs& g, const uint16_t* w, int64_t row0, int64_t i0, bool prefetch) {
  const float* x[A];  // [cols] each
  __m512 acc[A];      // [16 rows] per activation row
#pragma GCC unroll 8
  for (int a = 0; a < A; ++a) {
    x[a] = g.x->row_f(i0 + a);
    acc[a] = _mm512_setzero_ps();
  }
  for (int64_t c = 0; c < g.cols; ++c) {
    if (prefetch && c % 2 == 0) _mm_prefetch(reinterpret_cast<const char*>(w + c * kInterleave) + kAhead, _MM_HINT_T0);
    const __m512 wv = column(w, c);
#pragma GCC unroll 8
    for (int a = 0; a < A; ++a) acc[a] = _mm512_fmadd_ps(wv, _mm512_set1_ps(x[a][c]), acc[a]);
  }
#pragma GCC unroll 8
  for (int a = 0; a < A; ++a) _mm512_storeu_ps(g.y + (i0 + a) * g.ldy + row0, acc[a]);
}

}  // namespace

void gemm_f16_x16(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  if (i1 - i0 == 1) return for_row_quads(r0, r1, [&](const RowQuad& q) { tile_one(g, q, i0); }, int64_t{kInterleave});
  for (int64_t r = r0; r < r1; r += kInterleave) {
    const auto* grp = reinterpret_cast<const uint16_t*>(g.w + r * g.w_stride);  // [cols][16]
    for_act_tiles<8>(i0, i1, [&](auto a, int64_t i) { tile<decltype(a)::value>(g, grp, r, i, i == i0); });
  }
}

}  // namespace cellar::kernels::avx512
