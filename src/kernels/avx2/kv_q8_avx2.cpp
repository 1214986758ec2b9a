// AVX2 version of kernels/kv_q8.h. Scores: the query's signs move onto the
// key quants (vpsignb) so vpmaddubsw can multiply |q| (unsigned) by them;
// pair sums stay below 2 * 127 * 127, so nothing saturates. Values: one block
// of the accumulator (4 x 8 lanes) stays in registers while all keys pass.
#include "kernels/avx2/simd256.h"
#include "kernels/kv_q8.h"

namespace cellar::kernels::avx2 {
namespace {

inline __m256i load_qs(const BlockQ8_0& b) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs)); }

// 8 int32 partial sums of q . k over one block.
inline __m256i block_dot(__m256i q, __m256i k) {
  const __m256i prod16 = _mm256_maddubs_epi16(_mm256_sign_epi8(q, q), _mm256_sign_epi8(k, q));
  return pairs_to_i32(prod16);
}

// 8 dequantized values q[i] * d of one block, from its bytes [c*8, c*8+8).
inline __m256 dequant8(const BlockQ8_0& b, int c, __m256 d) {
  const __m128i q8 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(b.qs + 8 * c));
  return _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q8)), d);
}

}  // namespace

void scores_q8_0(int64_t n_heads, const BlockQ8_0* q, const uint8_t* k, int64_t stride, int64_t n_keys, int64_t n,
                 float scale, float* scores) {
  const int64_t nb = n / kQK;
  for (int64_t h = 0; h < n_heads; ++h) {
    const BlockQ8_0* qh = q + h * nb;
    for (int64_t j = 0; j < n_keys; ++j) {
      const auto* kj = reinterpret_cast<const BlockQ8_0*>(k + j * stride);
      __m256 acc = _mm256_setzero_ps();
      for (int64_t b = 0; b < nb; ++b) {
        const __m256 d = _mm256_set1_ps(_cvtsh_ss(qh[b].d) * _cvtsh_ss(kj[b].d));
        acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(block_dot(load_qs(qh[b]), load_qs(kj[b]))), d, acc);
      }
      scores[h * n_keys + j] = hsum(acc) * scale;
    }
  }
}

void weighted_sum_q8_0(int64_t n_heads, float* acc, const uint8_t* v, int64_t stride, const float* weight,
                       const float* rescale, int64_t n_keys, int64_t n) {
  const int64_t nb = n / kQK;
  for (int64_t h = 0; h < n_heads; ++h) {
    const float* w = weight + h * n_keys;
    const float* r = rescale + h * n_keys;
    for (int64_t b = 0; b < nb; ++b) {
      float* ab = acc + h * n + b * kQK;
      __m256 a[4];
      for (int c = 0; c < 4; ++c) a[c] = _mm256_loadu_ps(ab + 8 * c);
      for (int64_t j = 0; j < n_keys; ++j) {
        if (r[j] != 1.0f) {
          const __m256 rj = _mm256_set1_ps(r[j]);
          for (int c = 0; c < 4; ++c) a[c] = _mm256_mul_ps(a[c], rj);
        }
        const BlockQ8_0& blk = reinterpret_cast<const BlockQ8_0*>(v + j * stride)[b];
        const __m256 d = _mm256_set1_ps(_cvtsh_ss(blk.d)), wj = _mm256_set1_ps(w[j]);
        for (int c = 0; c < 4; ++c) a[c] = _mm256_fmadd_ps(dequant8(blk, c, d), wj, a[c]);
      }
      for (int c = 0; c < 4; ++c) _mm256_storeu_ps(ab + 8 * c, a[c]);
    }
  }
}

}  // namespace cellar::kernels::avx2
