// AVX-512 VNNI gemm for the 32-element legacy types (Q4_0, Q4_1, Q5_0,
// Q5_1, Q8_0) against Q8x32 activations.
//
// Two consecutive blocks fill one zmm. A tile is 4 weight rows x up to 8
// activation rows: each weight block pair is decoded once to unsigned bytes
// u = q + offset and multiplied with every activation row by vpdpbusd; the
// offset is removed by a per-activation base (-offset * sum x, itself one
// vpdpbusd) shared by the 4 rows. The 4 rows' 16-lane integer sums are then
// folded into one zmm whose 128-bit lane k holds [row0..row3] of quarter k,
// so the float work (convert, scale, fma) is one op per 4 rows, and the
// horizontal reduction happens once per row at the end.
#include <cstring>

#include "kernels/avx512/simd512.h"
#include "kernels/blocks.h"
#include "kernels/gemm.h"

namespace cellar::kernels::avx512 {
namespace {

// 16 bytes of 4-bit quants of two blocks -> 64 bytes in element order
// (per block: low nibbles = elements 0-15, high nibbles = 16-31).
inline __m512i nibbles(const uint8_t* qs0, const uint8_t* qs1) {
  const __m256i pair = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i*)qs0)),
                                               _mm_loadu_si128((const __m128i*)qs1), 1);
  const __m512i p = _mm512_castsi256_si512(pair);
  const __m512i v = _mm512_shuffle_i64x2(p, p, _MM_SHUFFLE(1, 1, 0, 0));  // [qs0, qs0, qs1, qs1]
  const __m512i s = _mm512_mask_srli_epi16(v, 0xFF00FF00u, v, 4);         // high nibbles in lanes 1, 3
  return _mm512_and_si512(s, _mm512_set1_epi8(0x0F));
}

inline __m512i add_fifth_bit(__m512i v, const uint8_t* qh0, const uint8_t* qh1) {
  uint32_t h0, h1;
  std::memcpy(&h0, qh0, 4);
  std::memcpy(&h1, qh1, 4);
  const __mmask64 m = static_cast<uint64_t>(h0) | (static_cast<uint64_t>(h1) << 32);
  return _mm512_mask_add_epi8(v, m, v, _mm512_set1_epi8(0x10));
}

// Each decoder: block bytes, offset, whether it has a min (fp16 right after
// d), and the unsigned quants of a block pair.
struct DecodeQ4_0 {
  static constexpr int kBytes = sizeof(BlockQ4_0), kOffset = 8;
  static constexpr bool kMin = false;
  static __m512i quants(const uint8_t* b0, const uint8_t* b1) { return nibbles(b0 + 2, b1 + 2); }
};
struct DecodeQ4_1 {
  static constexpr int kBytes = sizeof(BlockQ4_1), kOffset = 0;
  static constexpr bool kMin = true;
  static __m512i quants(const uint8_t* b0, const uint8_t* b1) { return nibbles(b0 + 4, b1 + 4); }
};
struct DecodeQ5_0 {
  static constexpr int kBytes = sizeof(BlockQ5_0), kOffset = 16;
  static constexpr bool kMin = false;
  static __m512i quants(const uint8_t* b0, const uint8_t* b1) {
    return add_fifth_bit(nibbles(b0 + 6, b1 + 6), b0 + 2, b1 + 2);
  }
};
struct DecodeQ5_1 {
  static constexpr int kBytes = sizeof(BlockQ5_1), kOffset = 0;
  static constexpr bool kMin = true;
  static __m512i quants(const uint8_t* b0, const uint8_t* b1) {
    return add_fifth_bit(nibbles(b0 + 8, b1 + 8), b0 + 4, b1 + 4);
  }
};
struct DecodeQ8_0 {
  static constexpr int kBytes = sizeof(BlockQ8_0), kOffset = 128;
  static constexpr bool kMin = false;
  static __m512i quants(const uint8_t* b0, const uint8_t* b1) {
    const __m512i v = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i*)(b0 + 2))),
                                         _mm256_loadu_si256((const __m256i*)(b1 + 2)), 1);
    return _mm512_xor_si512(v, _mm512_set1_epi8(static_cast<char>(0x80)));  // q + 128
  }
};

inline uint16_t load_u16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}

inline uint32_t load_u32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// [row0..row3] sums of each 128-bit lane of four 16-lane vectors.
inline __m512i fold4(__m512i a, __m512i b, __m512i c, __m512i d) {
  const __m512i ab = _mm512_add_epi32(_mm512_unpacklo_epi32(a, b), _mm512_unpackhi_epi32(a, b));
  const __m512i cd = _mm512_add_epi32(_mm512_unpacklo_epi32(c, d), _mm512_unpackhi_epi32(c, d));
  return _mm512_add_epi32(_mm512_unpacklo_epi64(ab, cd), _mm512_unpackhi_epi64(ab, cd));
}

// 4 weight rows (see RowQuad) x A activations.
template <typename D, int A>
void tile(const GemmArgs& g, const RowQuad& q, int64_t i0) {
  const QuantizedActs& x = *g.x;
  const int64_t nb = g.cols / kQK;
  const uint8_t* w[4];
  for (int r = 0; r < 4; ++r) w[r] = g.w + q.r[r] * g.w_stride;
  const int8_t* xq[A];
  const float* xd[A];
  const float* xds[A];
  for (int a = 0; a < A; ++a) {
    xq[a] = x.row_qs(i0 + a);
    xd[a] = x.row_d(i0 + a);
    xds[a] = x.row_ds(i0 + a);
  }
  // Lane k of the folded sums is (row k % 4, block k / 8); pick its d (and m).
  const __m512i dperm = D::kMin ? _mm512_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6, 8, 10, 12, 14, 8, 10, 12, 14)
                                : _mm512_setr_epi32(0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7);
  const __m512i mperm = _mm512_add_epi32(dperm, _mm512_set1_epi32(1));
  const __m512i offset = _mm512_set1_epi8(static_cast<char>(D::kOffset));
  __m512 acc[A], macc[A];  // separate min sums keep the fma chains short
  for (int a = 0; a < A; ++a) acc[a] = macc[a] = _mm512_setzero_ps();
  for (int64_t b = 0; b < nb; b += 2) {
    const bool single = b + 1 == nb;
    const int64_t b1 = single ? b : b + 1;
    __m512i u[4];
    // Block scales are packed in general registers (the vector ports are the
    // bottleneck). With a min, the first dword of a block is (d, m): words
    // [d,m] of rows 0-3 for block b, then for block b+1.
    uint64_t h[4];
    for (int r = 0; r < 4; ++r) u[r] = D::quants(w[r] + b * D::kBytes, w[r] + b1 * D::kBytes);
    if constexpr (D::kMin) {
      for (int k = 0; k < 2; ++k) {
        h[k] = load_u32(w[2 * k] + b * D::kBytes) | (uint64_t{load_u32(w[2 * k + 1] + b * D::kBytes)} << 32);
        h[2 + k] =
            single ? 0
                   : load_u32(w[2 * k] + b1 * D::kBytes) | (uint64_t{load_u32(w[2 * k + 1] + b1 * D::kBytes)} << 32);
      }
    } else {
      // Only d: words [d of rows 0-3 for block b, same for b+1, zeros].
      h[0] = h[1] = h[2] = h[3] = 0;
      for (int r = 0; r < 4; ++r) {
        h[0] |= uint64_t{load_u16(w[r] + b * D::kBytes)} << (16 * r);
        h[1] |= uint64_t{load_u16(w[r] + b1 * D::kBytes)} << (16 * r);
      }
      if (single) h[1] = 0;
    }
    const __m512 hf = _mm512_cvtph_ps(_mm256_setr_epi64x(static_cast<long long>(h[0]), static_cast<long long>(h[1]),
                                                         static_cast<long long>(h[2]), static_cast<long long>(h[3])));
    const __m512 wd = _mm512_permutexvar_ps(dperm, hf);
    for (int a = 0; a < A; ++a) {
      const __m512i xv = load_x_pair(xq[a] + b * kQK, single);
      const __m512i base =
          D::kOffset ? _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_dpbusd_epi32(_mm512_setzero_si512(), offset, xv))
                     : _mm512_setzero_si512();
      const __m512i sums = fold4(_mm512_dpbusd_epi32(base, u[0], xv), _mm512_dpbusd_epi32(base, u[1], xv),
                                 _mm512_dpbusd_epi32(base, u[2], xv), _mm512_dpbusd_epi32(base, u[3], xv));
      const __m512 xscale = pair_scale(xd[a][b], single ? 0.0f : xd[a][b1]);
      acc[a] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sums), _mm512_mul_ps(wd, xscale), acc[a]);
      if constexpr (D::kMin) {
        // Two lanes per (row, block) each carry half of m * d_x * sum x.
        const __m512 xmin = _mm512_mul_ps(pair_scale(xds[a][b], single ? 0.0f : xds[a][b1]), _mm512_set1_ps(0.5f));
        macc[a] = _mm512_fmadd_ps(_mm512_permutexvar_ps(mperm, hf), xmin, macc[a]);
      }
    }
  }
  for (int a = 0; a < A; ++a) {
    if constexpr (D::kMin) acc[a] = _mm512_add_ps(acc[a], macc[a]);
    const __m256 h = _mm256_add_ps(_mm512_castps512_ps256(acc[a]), _mm512_extractf32x8_ps(acc[a], 1));
    const __m128 sum4 = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    float out[4];
    _mm_storeu_ps(out, sum4);
    for (int r = 0; r < q.n; ++r) g.y[(i0 + a) * g.ldy + q.r[r]] = out[r];
  }
}

template <typename D>
void gemm(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  // Activation tiles outer: the thread's weight rows (chunks of at most 64
  // rows when m > 1) stay in L2 while each activation tile is reused from L1.
  // Rows go in RowQuad order: four sequential streams through the chunk.
  for_act_tiles<8>(i0, i1, [&](auto a, int64_t i) {
    for_row_quads(r0, r1, [&](const RowQuad& q) { tile<D, decltype(a)::value>(g, q, i); });
  });
}

}  // namespace

GemmFn legacy_gemm(GgmlType t) {
  switch (t) {
    case GgmlType::Q4_0:
      return gemm<DecodeQ4_0>;
    case GgmlType::Q4_1:
      return gemm<DecodeQ4_1>;
    case GgmlType::Q5_0:
      return gemm<DecodeQ5_0>;
    case GgmlType::Q5_1:
      return gemm<DecodeQ5_1>;
    case GgmlType::Q8_0:
      return gemm<DecodeQ8_0>;
    default:
      return nullptr;
  }
}

}  // namespace cellar::kernels::avx512
