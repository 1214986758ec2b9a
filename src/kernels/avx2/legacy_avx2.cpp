// AVX2 gemm for the 32-element legacy types against Q8x32 activations.
// One block is one ymm. Unsigned quants u = q + offset go through
// vpmaddubsw/vpmaddwd with the signed activations; the offset's share
// (offset * sum x) comes from the precomputed activation block sums. Q8_0 is
// signed on both sides and uses the sign trick (|w| times x with w's sign).
// A tile is one weight row x up to 4 activation rows: each block is decoded
// once per tile.
#include <cstring>

#include "kernels/avx2/simd256.h"
#include "kernels/blocks.h"
#include "kernels/gemm.h"

namespace cellar::kernels::avx2 {
namespace {

// 16 bytes of nibbles -> 32 quants in element order.
inline __m256i nibbles32(const uint8_t* p) {
  const __m128i q = _mm_loadu_si128((const __m128i*)p);
  return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(q, 4), q), _mm256_set1_epi8(0x0F));
}

// 0x10 in byte j where bit j of the little-endian u32 at p is set.
inline __m256i fifth_bits(const uint8_t* p) {
  uint32_t bits;
  std::memcpy(&bits, p, 4);
  const __m256i shuf = _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0);
  __m256i bytes = _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int>(bits)), shuf);
  bytes = _mm256_or_si256(bytes, _mm256_set1_epi64x(0x7fbfdfeff7fbfdfe));
  return _mm256_and_si256(_mm256_cmpeq_epi8(bytes, _mm256_set1_epi64x(-1)), _mm256_set1_epi8(0x10));
}

struct DecodeQ4_0 {
  static constexpr int kBytes = sizeof(BlockQ4_0), kOffset = 8;
  static constexpr bool kMin = false, kSigned = false;
  static __m256i quants(const uint8_t* b) { return nibbles32(b + 2); }
};
struct DecodeQ4_1 {
  static constexpr int kBytes = sizeof(BlockQ4_1), kOffset = 0;
  static constexpr bool kMin = true, kSigned = false;
  static __m256i quants(const uint8_t* b) { return nibbles32(b + 4); }
};
struct DecodeQ5_0 {
  static constexpr int kBytes = sizeof(BlockQ5_0), kOffset = 16;
  static constexpr bool kMin = false, kSigned = false;
  static __m256i quants(const uint8_t* b) { return _mm256_or_si256(nibbles32(b + 6), fifth_bits(b + 2)); }
};
struct DecodeQ5_1 {
  static constexpr int kBytes = sizeof(BlockQ5_1), kOffset = 0;
  static constexpr bool kMin = true, kSigned = false;
  static __m256i quants(const uint8_t* b) { return _mm256_or_si256(nibbles32(b + 8), fifth_bits(b + 4)); }
};
struct DecodeQ8_0 {
  static constexpr int kBytes = sizeof(BlockQ8_0), kOffset = 0;
  static constexpr bool kMin = false, kSigned = true;
  static __m256i quants(const uint8_t* b) { return _mm256_loadu_si256((const __m256i*)(b + 2)); }
};

template <typename D, int A>
void tile(const GemmArgs& g, int64_t r, int64_t i0) {
  const QuantizedActs& x = *g.x;
  const int64_t nb = g.cols / kQK;
  const uint8_t* w = g.w + r * g.w_stride;
  __m256 acc[A];
  float corr[A];  // offset and min terms, scalar per block
  for (int a = 0; a < A; ++a) {
    acc[a] = _mm256_setzero_ps();
    corr[a] = 0.0f;
  }
  const int8_t* xqs[A];  // row pointers hoisted out of the block loop
  const float* xd[A];
  const float* xds[A];
  for (int a = 0; a < A; ++a) {
    xqs[a] = x.row_qs(i0 + a);
    xd[a] = x.row_d(i0 + a);
    xds[a] = x.row_ds(i0 + a);
  }
  for (int64_t b = 0; b < nb; ++b) {
    const uint8_t* blk = w + b * D::kBytes;
    const __m256i q = D::quants(blk);
    const __m256i u = D::kSigned ? _mm256_sign_epi8(q, q) : q;
    const float dw = half_to_float(blk);
    for (int a = 0; a < A; ++a) {
      __m256i xv = _mm256_loadu_si256((const __m256i*)(xqs[a] + b * kQK));
      if (D::kSigned) xv = _mm256_sign_epi8(xv, q);
      const __m256i dot = pairs_to_i32(_mm256_maddubs_epi16(u, xv));
      const float dx = xd[a][b];
      acc[a] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_set1_ps(dw * dx), acc[a]);
      if (D::kOffset || D::kMin) {
        const float sx = xds[a][b];
        if (D::kOffset) corr[a] -= dw * D::kOffset * sx;
        if (D::kMin) corr[a] += half_to_float(blk + 2) * sx;
      }
    }
  }
  for (int a = 0; a < A; ++a) g.y[(i0 + a) * g.ldy + r] = hsum(acc[a]) + corr[a];
}

template <typename D>
void gemm(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  // Activation tiles outer: the thread's weight rows (chunks of at most 64
  // rows when m > 1) stay in L2 while each activation tile is reused from L1.
  // Rows go in RowQuad order: four sequential streams through the chunk.
  for_act_tiles<4>(i0, i1, [&](auto a, int64_t i) {
    for_row_quads(r0, r1, [&](const RowQuad& q) {
      for (int k = 0; k < q.n; ++k) tile<D, decltype(a)::value>(g, q.r[k], i);
    });
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

}  // namespace cellar::kernels::avx2
