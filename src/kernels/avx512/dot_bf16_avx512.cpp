// AVX-512 BF16 gemm for BF16 weights; the only file compiled with
// -mavx512bf16 (cmake/modules.cmake), picked by CPUID (bf16_avx512.h).
#include <type_traits>

#include "kernels/avx512/bf16_avx512.h"
#include "kernels/avx512/simd512.h"
#include "kernels/gemm.h"
#include "kernels/scratch.h"

namespace cellar::kernels::avx512 {
namespace {

// BF16 weights take vdpbf16ps: each instruction multiplies 32 weights by 32
// activations in pairs, twice the MACs of an f32 FMA. The activations are
// rounded to bf16 (nearest-even, vcvtne2ps2bf16) once per task, as in
// llama.cpp's BF16 path, whose vec_dot_type for BF16 is BF16: an error of at
// most 2^-9 of each activation, so a dot product moves by at most 2^-9 of
// |w| * |x|. Same 4 x A tile and row order as the f32 path (float_avx512.cpp).

// Rows i0..i1 of the activations as bf16, each padded with zeros to a
// multiple of 32 columns (stride).
void round_acts_bf16(const GemmArgs& g, int64_t i0, int64_t i1, int64_t stride, uint16_t* out) {
  for (int64_t i = i0; i < i1; ++i) {
    const float* x = g.x->row_f(i);  // [cols]
    uint16_t* o = out + (i - i0) * stride;
    for (int64_t c = 0; c < stride; c += 32) {
      const int64_t left = g.cols - c;  // > 0: c < cols (stride is cols rounded up to 32)
      const __mmask16 mlo = left >= 16 ? 0xFFFF : static_cast<__mmask16>((1u << left) - 1);
      const __mmask16 mhi = left >= 32 ? 0xFFFF : left <= 16 ? 0 : static_cast<__mmask16>((1u << (left - 16)) - 1);
      const __m512bh v = _mm512_cvtne2ps_pbh(_mm512_maskz_loadu_ps(mhi, x + c + 16), _mm512_maskz_loadu_ps(mlo, x + c));
      _mm512_storeu_si512(o + c, (__m512i)v);
    }
  }
}

template <int A>
void tile_bf16(const GemmArgs& g, const RowQuad& q, const uint16_t* xb, int64_t stride) {
  const uint8_t* w[4];  // [cols] bf16 each
  for (int r = 0; r < 4; ++r) w[r] = g.w + q.r[r] * g.w_stride;
  __m512 acc[4][A];
  for (int r = 0; r < 4; ++r)
    for (int a = 0; a < A; ++a) acc[r][a] = _mm512_setzero_ps();
  // Full 32-column steps use plain loads; the weights' tail is masked (the
  // activations' padding is zeros).
  const int64_t full = g.cols / 32 * 32;
  auto step = [&](int64_t c, __mmask32 m, auto masked) {
    __m512bh wv[4];
    for (int r = 0; r < 4; ++r) {
      const uint8_t* p = w[r] + c * 2;
      wv[r] = (__m512bh)(masked ? _mm512_maskz_loadu_epi16(m, p) : _mm512_loadu_si512(p));
    }
    for (int a = 0; a < A; ++a) {
      const __m512bh xv = (__m512bh)_mm512_loadu_si512(xb + a * stride + c);
      for (int r = 0; r < 4; ++r) acc[r][a] = _mm512_dpbf16_ps(acc[r][a], wv[r], xv);
    }
  };
  for (int64_t c = 0; c < full; c += 32) step(c, 0xFFFFFFFFu, std::false_type{});
  if (full < g.cols) step(full, static_cast<__mmask32>((1ull << (g.cols - full)) - 1), std::true_type{});
  for (int a = 0; a < A; ++a)
    for (int r = 0; r < q.n; ++r) g.y[a * g.ldy + q.r[r]] = _mm512_reduce_add_ps(acc[r][a]);
}

void gemm_bf16(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  const int64_t stride = (g.cols + 31) / 32 * 32;
  uint16_t* xb = thread_scratch_u16(static_cast<size_t>((i1 - i0) * stride));  // [i1 - i0][stride] bf16 activations
  round_acts_bf16(g, i0, i1, stride, xb);
  for_act_tiles<6>(i0, i1, [&](auto a, int64_t i) {
    GemmArgs gi = g;
    gi.y = g.y + i * g.ldy;
    for_row_quads(r0, r1, [&](const RowQuad& q) { tile_bf16<decltype(a)::value>(gi, q, xb + (i - i0) * stride, stride); });
  });
}

}  // namespace

GemmFn bf16_dot_gemm() { return gemm_bf16; }

}  // namespace cellar::kernels::avx512
