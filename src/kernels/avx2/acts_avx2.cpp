// AVX2 activation quantizer: the same values as quantize_acts_rows
// (amax / 127 scales, round-half-even by vcvtps2dq under the default MXCSR).
#include "kernels/activations.h"
#include "kernels/avx2/simd256.h"

namespace cellar::kernels::avx2 {

void quantize_acts(QuantizedActs& out, const float* x, int64_t i0, int64_t i1) {
  if (out.format == ActFormat::kF32) return;
  const int block = act_block(out.format);
  const int64_t cols = out.cols;
  const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  for (int64_t i = i0; i < i1; ++i) {
    const float* src = x + i * cols;        // [cols]
    int8_t* qs = out.qs.data() + i * cols;  // [cols]
    float* d = out.d.data() + i * (cols / block);
    int16_t* bs = out.bsums.data() + i * (cols / 16);
    for (int64_t b = 0; b < cols / block; ++b) {
      const float* xb = src + b * block;
      __m256 vmax = _mm256_setzero_ps();
      for (int j = 0; j < block; j += 8) vmax = _mm256_max_ps(vmax, _mm256_and_ps(_mm256_loadu_ps(xb + j), abs_mask));
      __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(vmax), _mm256_extractf128_ps(vmax, 1));
      m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
      const float amax = _mm_cvtss_f32(_mm_max_ss(m4, _mm_movehdup_ps(m4)));
      d[b] = amax / 127.0f;
      const __m256 inv = _mm256_set1_ps(amax > 0.0f ? 127.0f / amax : 0.0f);
      for (int j = 0; j < block; j += 32) {
        __m256i q[4];
        for (int k = 0; k < 4; ++k) q[k] = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(xb + j + 8 * k), inv));
        bs[(b * block + j) / 16] = static_cast<int16_t>(hsum_i32(_mm256_add_epi32(q[0], q[1])));
        bs[(b * block + j) / 16 + 1] = static_cast<int16_t>(hsum_i32(_mm256_add_epi32(q[2], q[3])));
        // packs work per 128-bit lane; the dword permute restores element order.
        const __m256i p16 = _mm256_packs_epi16(_mm256_packs_epi32(q[0], q[1]), _mm256_packs_epi32(q[2], q[3]));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(qs + b * block + j), _mm256_permutevar8x32_epi32(p16, order));
      }
    }
  }
  finish_acts_rows(out, i0, i1);
}

}  // namespace cellar::kernels::avx2
