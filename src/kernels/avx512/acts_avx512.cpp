// AVX-512 activation quantizer: the same values as quantize_acts_rows
// (amax / 127 scales, round-half-even by vcvtps2dq under the default MXCSR).
#include "kernels/activations.h"
#include "kernels/avx512/simd512.h"

namespace cellar::kernels::avx512 {

void quantize_acts(QuantizedActs& out, const float* x, int64_t i0, int64_t i1) {
  if (out.format == ActFormat::kF32) return;
  const int block = act_block(out.format);
  const int64_t cols = out.cols;
  const __m512 sign_off = _mm512_castsi512_ps(_mm512_set1_epi32(0x7fffffff));
  for (int64_t i = i0; i < i1; ++i) {
    const float* src = x + i * cols;        // [cols]
    int8_t* qs = out.qs.data() + i * cols;  // [cols]
    float* d = out.d.data() + i * (cols / block);
    int16_t* bs = out.bsums.data() + i * (cols / 16);
    for (int64_t b = 0; b < cols / block; ++b) {
      const float* xb = src + b * block;
      __m512 vmax = _mm512_setzero_ps();
      for (int j = 0; j < block; j += 16) vmax = _mm512_max_ps(vmax, _mm512_and_ps(_mm512_loadu_ps(xb + j), sign_off));
      const float amax = _mm512_reduce_max_ps(vmax);
      d[b] = amax / 127.0f;
      const __m512 inv = _mm512_set1_ps(amax > 0.0f ? 127.0f / amax : 0.0f);
      for (int j = 0; j < block; j += 16) {
        const __m512i q = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(xb + j), inv));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(qs + b * block + j), _mm512_cvtsepi32_epi8(q));
        bs[(b * block + j) / 16] = static_cast<int16_t>(_mm512_reduce_add_epi32(q));
      }
    }
  }
  finish_acts_rows(out, i0, i1);
}

}  // namespace cellar::kernels::avx512
