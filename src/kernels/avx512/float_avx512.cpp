// AVX-512 gemm for float weights (F32, F16, and BF16 on CPUs without
// AVX-512 BF16: dot_bf16_avx512.cpp has the vdpbf16ps kernel) against f32
// activations: weights are widened to f32 on load (vcvtph2ps / a 16-bit
// shift) and the products accumulate in f32 lanes, reduced once per row. A tile is 4 rows x
// up to 6 activations (24 accumulators), enough FMAs per load for prefill.
#include <type_traits>

#include "kernels/avx512/bf16_avx512.h"
#include "kernels/avx512/simd512.h"
#include "kernels/dispatch.h"
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
struct LoadBF16 {  // CPUs without AVX-512 BF16 (bf16_avx512.h)
  static constexpr int kBytes = 2;
  static __m512 load(const uint8_t* p) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i*)p)), 16));
  }
  static __m512 load(const uint8_t* p, __mmask16 m) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(m, p)), 16));
  }
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

}  // namespace

GemmFn bf16_widen_gemm() { return gemm<LoadBF16>; }

GemmFn float_gemm(GgmlType t) {
  switch (t) {
    case GgmlType::F32:
      return gemm<LoadF32>;
    case GgmlType::F16:
      return gemm<LoadF16>;
    case GgmlType::BF16:
      return cpu_has_avx512_bf16() ? bf16_dot_gemm() : bf16_widen_gemm();
    default:
      return nullptr;
  }
}

}  // namespace cellar::kernels::avx512
