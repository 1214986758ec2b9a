// AVX-512 VNNI gemm for the k-quants (Q2_K..Q6_K) against Q8x256 activations.
//
// Each 256-element super-block of a weight row is decoded once per tile into
// four zmm of unsigned quants u (64 elements each, natural order), four
// int16 vectors holding each lane's sub-block scale, and the 16 per-16-
// element "min" weights. For every activation row of the tile:
//   isum += vpdpwssd(vpmaddubsw(u, x), scale)   (integer, per super-block)
//   msum  = vpmaddwd(bsums, mins)
//   y    += dx * (d * isum - dmin * msum)
// Types stored with a signed offset (Q3_K: q - 4, Q6_K: q - 32) fold it into
// the min term: mins = scales and dmin = offset * d.
#include <immintrin.h>

#include <cstring>

#include "kernels/avx512/simd512.h"
#include "kernels/blocks.h"
#include "kernels/gemm.h"

namespace cellar::kernels::avx512 {
namespace {

struct Decoded {
  __m512i u[4];   // [4][64] unsigned quants
  __m512i sc[4];  // [4][32] int16 scale of each pair of lanes
  __m256i mins;   // [16] int16 weight of each 16-element activation sum
  float d, dmin;
};

// Dword j of s holds scale j in both 16-bit halves; spread 8 of them as
// (lanes 0-7: scale a, lanes 8-15: scale b) or 16 as four groups of 4 lanes.
inline __m512i dup_words(__m512i dwords) {
  return _mm512_or_si512(_mm512_and_si512(dwords, _mm512_set1_epi32(0xFFFF)), _mm512_slli_epi32(dwords, 16));
}

// Scales of 32-element sub-blocks (Q4_K, Q5_K): 8 unsigned bytes.
inline void spread_scales_32(const uint8_t* sc8, Decoded& k) {
  uint64_t raw;
  std::memcpy(&raw, sc8, 8);
  const __m512i s = dup_words(_mm512_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(raw))));
  for (int c = 0; c < 4; ++c) {
    const __m512i idx = _mm512_set1_epi32(2 * c);
    k.sc[c] = _mm512_permutexvar_epi32(_mm512_mask_add_epi32(idx, 0xFF00, idx, _mm512_set1_epi32(1)), s);
  }
}

// Scales of 16-element sub-blocks: 16 signed bytes.
inline void spread_scales_16(__m128i sc16, Decoded& k) {
  const __m512i s = dup_words(_mm512_cvtepi8_epi32(sc16));
  const __m512i quarter = _mm512_srli_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), 2);
  for (int c = 0; c < 4; ++c)
    k.sc[c] = _mm512_permutexvar_epi32(_mm512_add_epi32(quarter, _mm512_set1_epi32(4 * c)), s);
}

// 32 bytes of nibbles -> 64 quants: low nibbles (elements 0-31) then high.
inline __m512i nibbles64(const uint8_t* p) {
  const __m512i q = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i*)p));
  return _mm512_and_si512(_mm512_mask_srli_epi16(q, 0xFFFF0000u, q, 4), _mm512_set1_epi8(0x0F));
}

// Bits (shift, shift + 2) of 32 bytes in lanes (0-1, 2-3): a pair of 2-bit planes.
inline __m512i planes64(__m512i q, int shift) {
  const __m512i s = _mm512_srli_epi16(q, shift);
  return _mm512_and_si512(_mm512_mask_srli_epi16(s, 0xFFFF0000u, s, 2), _mm512_set1_epi8(3));
}

// Bytes: lanes 0-1 = 1 << lo, lanes 2-3 = 1 << hi (bit selectors for test).
inline __m512i bit_pair(int lo, int hi) {
  return _mm512_mask_blend_epi64(0xF0, _mm512_set1_epi8(static_cast<char>(1 << lo)),
                                 _mm512_set1_epi8(static_cast<char>(1 << hi)));
}

// Scales and mins of Q4_K / Q5_K, unpacked as in ggml: bytes 0-7 scales, 8-15 mins.
inline void unpack_k4_scales(const uint8_t* packed, uint8_t* out) {
  constexpr uint32_t kMask1 = 0x3f3f3f3f, kMask2 = 0x0f0f0f0f, kMask3 = 0x03030303;
  uint32_t u[4];
  std::memcpy(u, packed, 12);
  u[3] = ((u[2] >> 4) & kMask2) | (((u[1] >> 6) & kMask3) << 4);
  const uint32_t aux = u[1] & kMask1;
  u[1] = (u[2] & kMask2) | (((u[0] >> 6) & kMask3) << 4);
  u[2] = aux;
  u[0] &= kMask1;
  std::memcpy(out, u, 16);
}

inline void decode_q45_scales(const uint8_t* blk, Decoded& k) {
  uint8_t sm[16];
  unpack_k4_scales(blk + 4, sm);
  spread_scales_32(sm, k);
  const __m128i m = _mm_loadl_epi64((const __m128i*)(sm + 8));
  k.mins = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m, m));  // each min covers two 16-sums
  k.d = half_to_float(blk);
  k.dmin = half_to_float(blk + 2);
}

struct DecodeQ4_K {
  static constexpr int kBytes = sizeof(BlockQ4_K);
  static void decode(const uint8_t* blk, Decoded& k) {
    decode_q45_scales(blk, k);
    for (int c = 0; c < 4; ++c) k.u[c] = nibbles64(blk + 16 + 32 * c);
  }
};

struct DecodeQ5_K {
  static constexpr int kBytes = sizeof(BlockQ5_K);
  static void decode(const uint8_t* blk, Decoded& k) {
    decode_q45_scales(blk, k);
    const __m512i qh = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i*)(blk + 16)));
    for (int c = 0; c < 4; ++c) {
      const __mmask64 high = _mm512_test_epi8_mask(qh, bit_pair(2 * c, 2 * c + 1));
      const __m512i u = nibbles64(blk + 48 + 32 * c);
      k.u[c] = _mm512_mask_add_epi8(u, high, u, _mm512_set1_epi8(16));
    }
  }
};

struct DecodeQ6_K {
  static constexpr int kBytes = sizeof(BlockQ6_K);
  static void decode(const uint8_t* blk, Decoded& k) {
    const __m128i sc = _mm_loadu_si128((const __m128i*)(blk + 192));
    spread_scales_16(sc, k);
    k.mins = _mm256_cvtepi8_epi16(sc);
    k.d = half_to_float(blk + 208);
    k.dmin = 32.0f * k.d;  // q = u - 32
    for (int n = 0; n < 2; ++n) {
      const __m512i ql = _mm512_loadu_si512(blk + 64 * n);
      const __m512i qh = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i*)(blk + 128 + 32 * n)));
      const __m512i lo4 = _mm512_set1_epi8(0x0F);
      k.u[2 * n] = _mm512_or_si512(_mm512_and_si512(ql, lo4), _mm512_slli_epi16(planes64(qh, 0), 4));
      k.u[2 * n + 1] =
          _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(ql, 4), lo4), _mm512_slli_epi16(planes64(qh, 4), 4));
    }
  }
};

struct DecodeQ3_K {
  static constexpr int kBytes = sizeof(BlockQ3_K);
  static void decode(const uint8_t* blk, Decoded& k) {
    int8_t sc[16];
    unpack_q3_k_scales(blk + 96, sc);
    const __m128i s = _mm_loadu_si128((const __m128i*)sc);
    spread_scales_16(s, k);
    k.mins = _mm256_cvtepi8_epi16(s);
    k.d = half_to_float(blk + 108);
    k.dmin = 4.0f * k.d;  // q = u - 4
    const __m512i hm = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i*)blk));
    for (int n = 0; n < 2; ++n) {
      const __m512i q = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i*)(blk + 32 + 32 * n)));
      for (int h = 0; h < 2; ++h) {
        const __m512i u = planes64(q, 4 * h);
        const __mmask64 high = _mm512_test_epi8_mask(hm, bit_pair(4 * n + 2 * h, 4 * n + 2 * h + 1));
        k.u[2 * n + h] = _mm512_mask_add_epi8(u, high, u, _mm512_set1_epi8(4));
      }
    }
  }
};

struct DecodeQ2_K {
  static constexpr int kBytes = sizeof(BlockQ2_K);
  static void decode(const uint8_t* blk, Decoded& k) {
    const __m128i raw = _mm_loadu_si128((const __m128i*)blk);
    spread_scales_16(_mm_and_si128(raw, _mm_set1_epi8(0x0F)), k);
    k.mins = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(raw, 4), _mm_set1_epi8(0x0F)));
    k.d = half_to_float(blk + 80);
    k.dmin = half_to_float(blk + 82);
    for (int n = 0; n < 2; ++n) {
      const __m512i q = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i*)(blk + 16 + 32 * n)));
      k.u[2 * n] = planes64(q, 0);
      k.u[2 * n + 1] = planes64(q, 4);
    }
  }
};

// One weight row x A (up to 8) activation rows: the decode is shared by all A.
template <typename D, int A>
void tile(const GemmArgs& g, int64_t r, int64_t i0) {
  const QuantizedActs& x = *g.x;
  const int64_t nb = g.cols / kQKK;
  const uint8_t* w = g.w + r * g.w_stride;
  __m512 acc[A];
  __m256 macc[A];
  for (int a = 0; a < A; ++a) {
    acc[a] = _mm512_setzero_ps();
    macc[a] = _mm256_setzero_ps();
  }
  Decoded k;
  for (int64_t b = 0; b < nb; ++b) {
    D::decode(w + b * D::kBytes, k);
    for (int a = 0; a < A; ++a) {
      const int8_t* xq = x.row_qs(i0 + a) + b * kQKK;
      __m512i isum = _mm512_setzero_si512();
      for (int c = 0; c < 4; ++c) {
        const __m512i p = _mm512_maddubs_epi16(k.u[c], _mm512_loadu_si512(xq + 64 * c));
        isum = _mm512_dpwssd_epi32(isum, p, k.sc[c]);
      }
      const __m256i bs = _mm256_loadu_si256((const __m256i*)(x.row_bsums(i0 + a) + b * 16));
      const float dx = x.row_d(i0 + a)[b];
      acc[a] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(isum), _mm512_set1_ps(k.d * dx), acc[a]);
      macc[a] =
          _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_madd_epi16(bs, k.mins)), _mm256_set1_ps(k.dmin * dx), macc[a]);
    }
  }
  for (int a = 0; a < A; ++a) {
    const __m256 m = macc[a];
    const __m128 m4 = _mm_add_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
    const __m128 m2 = _mm_add_ps(m4, _mm_movehl_ps(m4, m4));
    const float msum = _mm_cvtss_f32(_mm_add_ss(m2, _mm_movehdup_ps(m2)));
    g.y[(i0 + a) * g.ldy + r] = _mm512_reduce_add_ps(acc[a]) - msum;
  }
}

template <typename D>
void gemm(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  int64_t i = i0;
  for (; i + 8 <= i1; i += 8)
    for (int64_t r = r0; r < r1; ++r) tile<D, 8>(g, r, i);
  for (int64_t r = r0; r < r1; ++r) {
    switch (i1 - i) {
      case 7:
        tile<D, 7>(g, r, i);
        break;
      case 6:
        tile<D, 6>(g, r, i);
        break;
      case 5:
        tile<D, 5>(g, r, i);
        break;
      case 4:
        tile<D, 4>(g, r, i);
        break;
      case 3:
        tile<D, 3>(g, r, i);
        break;
      case 2:
        tile<D, 2>(g, r, i);
        break;
      case 1:
        tile<D, 1>(g, r, i);
        break;
      default:
        break;
    }
  }
}

}  // namespace

GemmFn kquant_gemm(GgmlType t) {
  switch (t) {
    case GgmlType::Q2_K:
      return gemm<DecodeQ2_K>;
    case GgmlType::Q3_K:
      return gemm<DecodeQ3_K>;
    case GgmlType::Q4_K:
      return gemm<DecodeQ4_K>;
    case GgmlType::Q5_K:
      return gemm<DecodeQ5_K>;
    case GgmlType::Q6_K:
      return gemm<DecodeQ6_K>;
    default:
      return nullptr;
  }
}

}  // namespace cellar::kernels::avx512
