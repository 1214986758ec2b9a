// AVX2 gemm for the k-quants against Q8x256 activations. A super-block is
// decoded 64 elements at a time into two ymm of unsigned quants plus the
// int16 scale of each lane; per activation row
//   isum += vpmaddwd(vpmaddubsw(u, x), scale)
// and y += dx * (d * isum - dmin * vpmaddwd(bsums, mins)) per super-block.
// Offsets of Q3_K (-4) and Q6_K (-32) are folded into mins/dmin.
#include <cstring>

#include "kernels/avx2/simd256.h"
#include "kernels/blocks.h"
#include "kernels/gemm.h"
#include "kernels/prefetch.h"

namespace cellar::kernels::avx2 {
namespace {

struct Prepared {
  int16_t sc[16];  // scale of each 16-element sub-block
  __m256i mins;    // [16] int16 weight of each activation 16-sum
  float d, dmin;
};

// Scale vector of the ymm holding elements e0..e0+31.
inline __m256i scales_for(const Prepared& p, int e0) {
  return _mm256_set_m128i(_mm_set1_epi16(p.sc[e0 / 16 + 1]), _mm_set1_epi16(p.sc[e0 / 16]));
}

inline __m256i load32(const uint8_t* p) { return _mm256_loadu_si256((const __m256i*)p); }
inline __m256i low2(__m256i v, int shift) { return _mm256_and_si256(_mm256_srli_epi16(v, shift), _mm256_set1_epi8(3)); }
inline __m256i low4(__m256i v, int shift) {
  return _mm256_and_si256(_mm256_srli_epi16(v, shift), _mm256_set1_epi8(0x0F));
}
// `add` in each byte whose bit `bit` is set in `bits`.
inline __m256i add_if_bit(__m256i u, __m256i bits, int bit, int add) {
  const __m256i sel = _mm256_set1_epi8(static_cast<char>(1 << bit));
  const __m256i on = _mm256_cmpeq_epi8(_mm256_and_si256(bits, sel), sel);
  return _mm256_add_epi8(u, _mm256_and_si256(on, _mm256_set1_epi8(static_cast<char>(add))));
}

inline void prepare_q45_mins(const uint8_t* blk, Prepared& p) {
  uint32_t u[4];
  k4_scale_words(blk + 4, u);
  const uint64_t sc = u[0] | (uint64_t{u[1]} << 32);
  for (int j = 0; j < 8; ++j) p.sc[2 * j] = p.sc[2 * j + 1] = static_cast<int16_t>((sc >> (8 * j)) & 0xFF);
  const __m128i m = _mm_cvtsi64_si128(static_cast<long long>(u[2] | (uint64_t{u[3]} << 32)));
  p.mins = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m, m));  // each min covers two 16-sums
  p.d = half_to_float(blk);
  p.dmin = half_to_float(blk + 2);
}

struct DecodeQ4_K {
  static constexpr int kBytes = sizeof(BlockQ4_K);
  static void prepare(const uint8_t* blk, Prepared& p) { prepare_q45_mins(blk, p); }
  // Chunk c: elements 64c..64c+63.
  static void chunk(const uint8_t* blk, int c, __m256i u[2]) {
    const __m256i q = load32(blk + 16 + 32 * c);
    u[0] = low4(q, 0);
    u[1] = low4(q, 4);
  }
};

struct DecodeQ5_K {
  static constexpr int kBytes = sizeof(BlockQ5_K);
  static void prepare(const uint8_t* blk, Prepared& p) { prepare_q45_mins(blk, p); }
  static void chunk(const uint8_t* blk, int c, __m256i u[2]) {
    const __m256i q = load32(blk + 48 + 32 * c);
    const __m256i qh = load32(blk + 16);
    u[0] = add_if_bit(low4(q, 0), qh, 2 * c, 16);
    u[1] = add_if_bit(low4(q, 4), qh, 2 * c + 1, 16);
  }
};

// sc: the 16 signed scales in a vector.
inline void prepare_signed16(__m128i sc, float d, float offset, Prepared& p) {
  p.mins = _mm256_cvtepi8_epi16(sc);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(p.sc), p.mins);  // read back one scale at a time
  p.d = d;
  p.dmin = offset * d;
}

struct DecodeQ6_K {
  static constexpr int kBytes = sizeof(BlockQ6_K);
  static void prepare(const uint8_t* blk, Prepared& p) {
    prepare_signed16(_mm_loadu_si128((const __m128i*)(blk + 192)), half_to_float(blk + 208), 32.0f, p);
  }
  static void chunk(const uint8_t* blk, int c, __m256i u[2]) {
    const int n = c / 2, shift = 4 * (c % 2);
    const __m256i qh = load32(blk + 128 + 32 * n);
    for (int k = 0; k < 2; ++k) {
      const __m256i ql = load32(blk + 64 * n + 32 * k);
      u[k] = _mm256_or_si256(low4(ql, shift), _mm256_slli_epi16(low2(qh, 2 * (2 * (c % 2) + k)), 4));
    }
  }
};

struct DecodeQ3_K {
  static constexpr int kBytes = sizeof(BlockQ3_K);
  static void prepare(const uint8_t* blk, Prepared& p) {
    uint32_t aux[4];
    q3_k_scale_words(blk + 96, aux);
    const __m128i sc = _mm_sub_epi8(_mm_setr_epi32(static_cast<int>(aux[0]), static_cast<int>(aux[1]),
                                                   static_cast<int>(aux[2]), static_cast<int>(aux[3])),
                                    _mm_set1_epi8(32));
    prepare_signed16(sc, half_to_float(blk + 108), 4.0f, p);
  }
  static void chunk(const uint8_t* blk, int c, __m256i u[2]) {
    const int n = c / 2;
    const __m256i q = load32(blk + 32 + 32 * n);
    const __m256i hm = load32(blk);
    for (int k = 0; k < 2; ++k) {
      const int j = 2 * (c % 2) + k;  // bit plane
      u[k] = add_if_bit(low2(q, 2 * j), hm, 4 * n + j, 4);
    }
  }
};

struct DecodeQ2_K {
  static constexpr int kBytes = sizeof(BlockQ2_K);
  static void prepare(const uint8_t* blk, Prepared& p) {
    const __m128i raw = _mm_loadu_si128((const __m128i*)blk);
    p.mins = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(raw, 4), _mm_set1_epi8(0x0F)));
    for (int j = 0; j < 16; ++j) p.sc[j] = blk[j] & 0xF;
    p.d = half_to_float(blk + 80);
    p.dmin = half_to_float(blk + 82);
  }
  static void chunk(const uint8_t* blk, int c, __m256i u[2]) {
    const __m256i q = load32(blk + 16 + 32 * (c / 2));
    for (int k = 0; k < 2; ++k) u[k] = low2(q, 2 * (2 * (c % 2) + k));
  }
};

template <typename D, int A>
void tile(const GemmArgs& g, int64_t r, int64_t i0, bool prefetch) {
  const QuantizedActs& x = *g.x;
  const int64_t nb = g.cols / kQKK;
  const uint8_t* w = g.w + r * g.w_stride;
  __m256 acc[A], macc[A];
  for (int a = 0; a < A; ++a) acc[a] = macc[a] = _mm256_setzero_ps();
  const int8_t* xqs[A];  // row pointers hoisted: their strides need a division
  const float* xd[A];
  const int16_t* xbs[A];
  for (int a = 0; a < A; ++a) {
    xqs[a] = x.row_qs(i0 + a);
    xd[a] = x.row_d(i0 + a);
    xbs[a] = x.row_bsums(i0 + a);
  }
  Prepared p;
  for (int64_t b = 0; b < nb; ++b) {
    const uint8_t* blk = w + b * D::kBytes;
    if (prefetch) prefetch_lines<(D::kBytes + 63) / 64, 4 * D::kBytes>(blk);
    D::prepare(blk, p);
    __m256i isum[A];
    for (int a = 0; a < A; ++a) isum[a] = _mm256_setzero_si256();
    for (int c = 0; c < 4; ++c) {
      __m256i u[2];
      D::chunk(blk, c, u);
      const __m256i s0 = scales_for(p, 64 * c), s1 = scales_for(p, 64 * c + 32);
      for (int a = 0; a < A; ++a) {
        const int8_t* xq = xqs[a] + b * kQKK + 64 * c;
        const __m256i p0 = _mm256_madd_epi16(_mm256_maddubs_epi16(u[0], load32((const uint8_t*)xq)), s0);
        const __m256i p1 = _mm256_madd_epi16(_mm256_maddubs_epi16(u[1], load32((const uint8_t*)(xq + 32))), s1);
        isum[a] = _mm256_add_epi32(isum[a], _mm256_add_epi32(p0, p1));
      }
    }
    for (int a = 0; a < A; ++a) {
      const float dx = xd[a][b];
      const __m256i bs = _mm256_loadu_si256((const __m256i*)(xbs[a] + b * 16));
      acc[a] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum[a]), _mm256_set1_ps(p.d * dx), acc[a]);
      macc[a] =
          _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_madd_epi16(bs, p.mins)), _mm256_set1_ps(p.dmin * dx), macc[a]);
    }
  }
  for (int a = 0; a < A; ++a) g.y[(i0 + a) * g.ldy + r] = hsum(_mm256_sub_ps(acc[a], macc[a]));
}

template <typename D>
void gemm(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  // Activation tiles outer: the thread's weight rows (chunks of at most 64
  // rows when m > 1) stay in L2 while each activation tile is reused from L1.
  // Rows go in RowQuad order: four sequential streams through the chunk.
  for_act_tiles<4>(i0, i1, [&](auto a, int64_t i) {
    for_row_quads(r0, r1, [&](const RowQuad& q) {
      for (int k = 0; k < q.n; ++k) tile<D, decltype(a)::value>(g, q.r[k], i, i == i0);
    });
  });
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

}  // namespace cellar::kernels::avx2
