// AVX-512 gemm for float weights (F32, F16; BF16 below) against f32
// activations: weights are widened to f32 on load (vcvtph2ps) and the
// products accumulate in f32 lanes, reduced once per row. A tile is 4 rows x
// up to 6 activations (24 accumulators), enough FMAs per load for prefill.
#include <algorithm>
#include <type_traits>
#include <vector>

#include "kernels/avx512/simd512.h"
#include "kernels/gemm.h"

namespace cellar::kernels::avx512 {
namespace {

struct LoadF32 {
  static constexpr int kBytes = 4;
  static __m512 load(const uint8_t* p) { return _mm512_loadu_ps(p); }
  static __m512 load(const uint8_t* p, __mmask16 m) { return _mm512_maskz_loadu_ps(m, p); }
};
struct LoadF16 {
  static constexpr int kBytes = 2;
  static __m512 load(const uint8_t* p) { return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i*)p)); }
  static __m512 load(const uint8_t* p, __mmask16 m) { return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, p)); }
};

template <typename L, int A>
void tile(const GemmArgs& g, const RowQuad& q, int64_t i0) {
  const uint8_t* w[4];
  for (int r = 0; r < 4; ++r) w[r] = g.w + q.r[r] * g.w_stride;
  const float* x[A];
  for (int a = 0; a < A; ++a) x[a] = g.x->row_f(i0 + a);
  __m512 acc[4][A];
  for (int r = 0; r < 4; ++r)
    for (int a = 0; a < A; ++a) acc[r][a] = _mm512_setzero_ps();
  // Full 16-column steps use plain loads (masked ones cost more); the tail is masked.
  const int64_t full = g.cols / 16 * 16;
  auto step = [&](int64_t c, __mmask16 m, auto masked) {
    __m512 wv[4];
    for (int r = 0; r < 4; ++r) wv[r] = masked ? L::load(w[r] + c * L::kBytes, m) : L::load(w[r] + c * L::kBytes);
    for (int a = 0; a < A; ++a) {
      const __m512 xv = masked ? _mm512_maskz_loadu_ps(m, x[a] + c) : _mm512_loadu_ps(x[a] + c);
      for (int r = 0; r < 4; ++r) acc[r][a] = _mm512_fmadd_ps(wv[r], xv, acc[r][a]);
    }
  };
  for (int64_t c = 0; c < full; c += 16) step(c, 0xFFFF, std::false_type{});
  if (full < g.cols) step(full, static_cast<__mmask16>((1u << (g.cols - full)) - 1), std::true_type{});
  for (int a = 0; a < A; ++a)
    for (int r = 0; r < q.n; ++r) g.y[(i0 + a) * g.ldy + q.r[r]] = _mm512_reduce_add_ps(acc[r][a]);
}

template <typename L>
void gemm(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  // Activation tiles outer: the thread's weight rows (chunks of at most 64
  // rows when m > 1) stay in L2 while each activation tile is reused from L1.
  // Rows go in RowQuad order: four sequential streams through the chunk.
  for_act_tiles<6>(i0, i1, [&](auto a, int64_t i) {
    for_row_quads(r0, r1, [&](const RowQuad& q) { tile<L, decltype(a)::value>(g, q, i); });
  });
}

// BF16 weights take vdpbf16ps: each instruction multiplies 32 weights by 32
// activations in pairs, twice the MACs of an f32 FMA. The activations are
// rounded to bf16 (nearest-even, vcvtne2ps2bf16) once per task, as in
// llama.cpp's BF16 path, whose vec_dot_type for BF16 is BF16: an error of at
// most 2^-9 of each activation, so a dot product moves by at most 2^-9 of
// |w| * |x|. Same 4 x A tile and row order as the f32 path above.

// Rows i0..i1 of the activations as bf16, each padded with zeros to a
// multiple of 32 columns (stride).
void round_acts_bf16(const GemmArgs& g, int64_t i0, int64_t i1, int64_t stride, uint16_t* out) {
  for (int64_t i = i0; i < i1; ++i) {
    const float* x = g.x->row_f(i);  // [cols]
    uint16_t* o = out + (i - i0) * stride;
    for (int64_t c = 0; c < stride; c += 32) {
      const int64_t left = g.cols - c;
      const __mmask16 mlo = left >= 16 ? 0xFFFF : static_cast<__mmask16>((1u << std::max<int64_t>(left, 0)) - 1);
      const __mmask16 mhi = left >= 32 ? 0xFFFF : static_cast<__mmask16>((1u << std::max<int64_t>(left - 16, 0)) - 1);
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
  thread_local std::vector<uint16_t> xb;  // [i1 - i0][stride] bf16 activations of this task
  xb.resize(static_cast<size_t>((i1 - i0) * stride));
  round_acts_bf16(g, i0, i1, stride, xb.data());
  for_act_tiles<6>(i0, i1, [&](auto a, int64_t i) {
    GemmArgs gi = g;
    gi.y = g.y + i * g.ldy;
    for_row_quads(r0, r1, [&](const RowQuad& q) { tile_bf16<decltype(a)::value>(gi, q, xb.data() + (i - i0) * stride, stride); });
  });
}

}  // namespace

GemmFn float_gemm(GgmlType t) {
  switch (t) {
    case GgmlType::F32:
      return gemm<LoadF32>;
    case GgmlType::F16:
      return gemm<LoadF16>;
    case GgmlType::BF16:
      return gemm_bf16;
    default:
      return nullptr;
  }
}

}  // namespace cellar::kernels::avx512
