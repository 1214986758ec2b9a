// AVX2 gemm for float weights (F32, F16, BF16) against f32 activations:
// weights widened to f32 on load, 4 rows x 2 activations per tile (8 of the
// 16 ymm registers accumulate), reduced once per row; a scalar loop takes
// the last cols % 8 columns.
#include <cstring>

#include "kernels/avx2/simd256.h"
#include "kernels/fp16.h"
#include "kernels/gemm.h"

namespace cellar::kernels::avx2 {
namespace {

struct LoadF32 {
  static constexpr int kBytes = 4;
  static __m256 load(const uint8_t* p) { return _mm256_loadu_ps(reinterpret_cast<const float*>(p)); }
  static float one(const uint8_t* p) {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  }
};
struct LoadF16 {
  static constexpr int kBytes = 2;
  static __m256 load(const uint8_t* p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i*)p)); }
  static float one(const uint8_t* p) {
    uint16_t h;
    std::memcpy(&h, p, 2);
    return fp16_to_fp32(h);
  }
};
struct LoadBF16 {
  static constexpr int kBytes = 2;
  static __m256 load(const uint8_t* p) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i*)p)), 16));
  }
  static float one(const uint8_t* p) {
    uint16_t h;
    std::memcpy(&h, p, 2);
    return bf16_to_fp32(h);
  }
};

template <typename L, int A>
void tile(const GemmArgs& g, const RowQuad& q, int64_t i0) {
  const uint8_t* w[4];
  for (int r = 0; r < 4; ++r) w[r] = g.w + q.r[r] * g.w_stride;
  const float* x[A];
  for (int a = 0; a < A; ++a) x[a] = g.x->row_f(i0 + a);
  __m256 acc[4][A];
  for (int r = 0; r < 4; ++r)
    for (int a = 0; a < A; ++a) acc[r][a] = _mm256_setzero_ps();
  const int64_t full = g.cols / 8 * 8;
  for (int64_t c = 0; c < full; c += 8) {
    __m256 wv[4];
    for (int r = 0; r < 4; ++r) wv[r] = L::load(w[r] + c * L::kBytes);
    for (int a = 0; a < A; ++a) {
      const __m256 xv = _mm256_loadu_ps(x[a] + c);
      for (int r = 0; r < 4; ++r) acc[r][a] = _mm256_fmadd_ps(wv[r], xv, acc[r][a]);
    }
  }
  for (int a = 0; a < A; ++a) {
    for (int r = 0; r < q.n; ++r) {
      float s = hsum(acc[r][a]);
      for (int64_t c = full; c < g.cols; ++c) s += L::one(w[r] + c * L::kBytes) * x[a][c];
      g.y[(i0 + a) * g.ldy + q.r[r]] = s;
    }
  }
}

template <typename L>
void gemm(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  // Activation tiles outer: the thread's weight rows (chunks of at most 64
  // rows when m > 1) stay in L2 while each activation tile is reused from L1.
  // Rows go in RowQuad order: four sequential streams through the chunk.
  for_act_tiles<2>(i0, i1, [&](auto a, int64_t i) {
    for_row_quads(r0, r1, [&](const RowQuad& q) { tile<L, decltype(a)::value>(g, q, i); });
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
      return gemm<LoadBF16>;
    default:
      return nullptr;
  }
}

}  // namespace cellar::kernels::avx2
