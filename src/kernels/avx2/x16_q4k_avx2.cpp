// AVX2 gemm for Q4_K and Q5_K in the x16 layout (kernels/interleave.h). Block
// formats: ggml's block_q4_K and block_q5_K
// (https://github.com/ggml-org/llama.cpp/blob/master/ggml/src/ggml-common.h):
// per 256-element super-block, fp16 d and dmin, 8 sub-blocks of 32 with
// 6-bit scales and mins packed in 12 bytes, and the 4-bit quants (Q5_K: plus
// a fifth bit per element in qh, bit 2p / 2p + 1 of qh[l] for elements
// 64p + l / 64p + 32 + l); the value is d * sc * q - dmin * mn.
//
// One ymm holds 8 of a group's 16 rows (4 bytes each of a 64-byte chunk). As
// in the Q4_0 kernel (x16_avx2.cpp), vpmaddubsw multiplies the unsigned
// nibbles by 4 broadcast activation bytes and leaves two int16 pair sums per
// row; a sub-block's 8 chunks add up in int16 (at most 8 * 2 * 15 * 128 =
// 30720, no overflow; Q5_K's 5-bit quants allow 4 chunks, 4 * 2 * 31 * 128 =
// 31744, so its sums go to int32 twice per sub-block), and one vpmaddwd
// against the row's scale, held twice
// per int32 lane, gives scale * (the sub-block's integer sum) in int32. The
// mins meet the activations' 16-element sums the same way (vpmaddwd against
// a broadcast pair of sums), so a super-block needs two float FMAs per row.
#include "kernels/avx2/simd256.h"
#include "kernels/avx2/x16_common.h"

#include <cstddef>

#include "kernels/blocks.h"
#include "kernels/gemm.h"
#include "kernels/interleave.h"
#include "kernels/q4k_scales_sse.h"

namespace cellar::kernels::avx2 {

GemmFn gemm_q4_k_x16();
GemmFn gemm_q5_k_x16();

namespace {

// The two operands of chunk c (0..7) of sub-block pair p for the 8 rows of
// half h: quants of sub-block 2p (low nibbles) and 2p + 1 (high nibbles).
// kChunks: how many chunks' vpmaddubsw pair sums may add up in int16.
struct BitsQ4_K {
  using Block = BlockQ4_Kx16;
  static constexpr int kChunks = 8;
  [[gnu::always_inline]] static void operands(const Block* blk, int h, int p, int c, __m256i& lo, __m256i& hi) {
    const __m256i m4 = _mm256_set1_epi8(0x0F);
    const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk->qs[8 * p + c][8 * h]));
    lo = _mm256_and_si256(raw, m4);
    hi = _mm256_and_si256(_mm256_srli_epi16(raw, 4), m4);
  }
};

// Q5_K: qh >> 2p puts both sub-blocks' fifth bits at bits 0 and 1 of each
// byte (16-bit shifts: 2p <= 6 keeps a byte's bits in the byte); shifted to
// bit 4 they are or-ed onto the nibbles.
struct BitsQ5_K {
  using Block = BlockQ5_Kx16;
  static constexpr int kChunks = 4;
  [[gnu::always_inline]] static void operands(const Block* blk, int h, int p, int c, __m256i& lo, __m256i& hi) {
    const __m256i m4 = _mm256_set1_epi8(0x0F), bit4 = _mm256_set1_epi8(0x10);
    const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk->qs[8 * p + c][8 * h]));
    const __m256i qh = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk->qh[c][8 * h]));
    const __m256i t = _mm256_srl_epi16(qh, _mm_cvtsi32_si128(2 * p));
    lo = _mm256_or_si256(_mm256_and_si256(raw, m4), _mm256_and_si256(_mm256_slli_epi16(t, 4), bit4));
    hi = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(raw, 4), m4), _mm256_and_si256(_mm256_slli_epi16(t, 3), bit4));
  }
};

// One super-block's scales and mins of the 16 rows, each as an int16 pair
// (value, value) per int32 lane, ready for vpmaddwd. In L1, not registers:
// AVX2 has 16 ymm and the tiles' sums need most of them.
struct ScalesQ4_K {
  alignas(32) int32_t sc2[8][16];  // [sub-block][row]
  alignas(32) int32_t mn2[8][16];  // [sub-block][row]
};

inline void unpack_scales(const uint8_t* packed, ScalesQ4_K& out) {  // packed: [12][16]
  auto twice = [](int32_t* dst, __m128i bytes) {  // 8 bytes -> 8 lanes of (v, v)
    const __m256i v = _mm256_cvtepu8_epi32(bytes);
    _mm256_store_si256(reinterpret_cast<__m256i*>(dst), _mm256_or_si256(v, _mm256_slli_epi32(v, 16)));
  };
  unpack_q4k_scales(packed, [&](int j, __m128i sc, __m128i mn) {
    twice(out.sc2[j], sc);
    twice(out.sc2[j] + 8, _mm_srli_si128(sc, 8));
    twice(out.mn2[j], mn);
    twice(out.mn2[j] + 8, _mm_srli_si128(mn, 8));
  });
}

inline __m256i load(const int32_t* p) { return _mm256_load_si256(reinterpret_cast<const __m256i*>(p)); }

// acc + d * xd * isum - dmin * xd * (mins . the activations' 16-element sums
// bs) for the 8 rows of half h of one super-block.
template <typename Block>
inline __m256 scale_and_add(__m256 acc, __m256i isum, const Block* blk, const ScalesQ4_K& s, int h,
                            const int16_t* bs, float xd) {
  __m256i msum = _mm256_setzero_si256();
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) {
    int32_t two;
    std::memcpy(&two, bs + 2 * j, 4);
    msum = _mm256_add_epi32(msum, _mm256_madd_epi16(load(s.mn2[j] + 8 * h), _mm256_set1_epi32(two)));
  }
  const __m256 xdb = _mm256_set1_ps(xd);
  const __m256 d = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blk->d + 8 * h)));
  const __m256 dmin = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blk->dmin + 8 * h)));
  acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(isum), _mm256_mul_ps(d, xdb), acc);
  return _mm256_fnmadd_ps(_mm256_cvtepi32_ps(msum), _mm256_mul_ps(dmin, xdb), acc);
}

// isum += scale * the int16 pair sums s0 (sub-block 2p) and s1 (2p + 1) of
// the 8 rows of half h, as int32.
inline __m256i add_scaled(__m256i isum, __m256i s0, __m256i s1, const ScalesQ4_K& s, int p, int h) {
  return _mm256_add_epi32(isum, _mm256_add_epi32(_mm256_madd_epi16(s0, load(s.sc2[2 * p] + 8 * h)),
                                                 _mm256_madd_epi16(s1, load(s.sc2[2 * p + 1] + 8 * h))));
}

// Rows row0 + 8h .. + 8 of an x16 group x A activation rows from i0.
template <typename K, int A>
void tile(const GemmArgs& g, const uint8_t* grp, int64_t row0, int64_t i0, int h, bool prefetch) {
  using Block = typename K::Block;
  constexpr int kQuarterLines = sizeof(Block) / 64 / 4;
  static_assert(sizeof(Block) == 4 * 64 * kQuarterLines);
  const int64_t nb = g.cols / kQKK;
  const ActRows<A> x(*g.x, i0);
  __m256 acc[A];  // [8 rows] per activation row
  for (int a = 0; a < A; ++a) acc[a] = _mm256_setzero_ps();
  ScalesQ4_K s;
  for (int64_t b = 0; b < nb; ++b) {
    const auto* blk = reinterpret_cast<const Block*>(grp) + b;
    unpack_scales(&blk->scales[0][0], s);
    __m256i isum[A];  // [8 rows] scale * sub-block sums per activation row
#pragma GCC unroll 4
    for (int a = 0; a < A; ++a) isum[a] = _mm256_setzero_si256();
    for (int p = 0; p < 4; ++p) {  // sub-blocks 2p (low nibbles) and 2p + 1 (high)
      // The super-block two ahead, a quarter of its lines per pair: spread out, as on AVX-512.
      if (prefetch) {
        prefetch_lines<kQuarterLines, 2 * sizeof(Block)>(reinterpret_cast<const char*>(blk) + kQuarterLines * 64 * p);
      }
      __m256i s0[A], s1[A];  // [8 rows][2] int16 pair sums
#pragma GCC unroll 4
      for (int a = 0; a < A; ++a) s0[a] = s1[a] = _mm256_setzero_si256();
#pragma GCC unroll 8
      for (int c = 0; c < 8; ++c) {
        __m256i lo, hi;
        K::operands(blk, h, p, c, lo, hi);
#pragma GCC unroll 4
        for (int a = 0; a < A; ++a) {
          const int8_t* xb = x.q[a] + b * kQKK + 64 * p + 4 * c;
          s0[a] = _mm256_add_epi16(s0[a], _mm256_maddubs_epi16(lo, broadcast4(xb)));
          s1[a] = _mm256_add_epi16(s1[a], _mm256_maddubs_epi16(hi, broadcast4(xb + 32)));
        }
        if ((c + 1) % K::kChunks == 0) {
#pragma GCC unroll 4
          for (int a = 0; a < A; ++a) {
            isum[a] = add_scaled(isum[a], s0[a], s1[a], s, p, h);
            s0[a] = s1[a] = _mm256_setzero_si256();
          }
        }
      }
    }
#pragma GCC unroll 4
    for (int a = 0; a < A; ++a) acc[a] = scale_and_add(acc[a], isum[a], blk, s, h, x.bsums[a] + b * 16, x.d[a][b]);
  }
  for (int a = 0; a < A; ++a) _mm256_storeu_ps(g.y + (i0 + a) * g.ldy + row0 + 8 * h, acc[a]);
}

// One activation row (decode) x both halves of a group: the scales are
// unpacked and the activation bytes broadcast once for all 16 rows.
template <typename K>
void tile_one(const GemmArgs& g, const uint8_t* grp, int64_t row0, int64_t i0) {
  using Block = typename K::Block;
  const int64_t nb = g.cols / kQKK;
  const int8_t* xq = g.x->row_qs(i0);    // [cols]
  const float* xd = g.x->row_d(i0);      // [cols / 256]
  const int16_t* xs = g.x->row_bsums(i0);  // [cols / 16]
  __m256 acc[2] = {_mm256_setzero_ps(), _mm256_setzero_ps()};  // [8 rows] per half
  ScalesQ4_K s;
  for (int64_t b = 0; b < nb; ++b) {
    const auto* blk = reinterpret_cast<const Block*>(grp) + b;
    unpack_scales(&blk->scales[0][0], s);
    __m256i isum[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()};
    for (int p = 0; p < 4; ++p) {
      __m256i s0[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()}, s1[2] = {s0[0], s0[0]};
#pragma GCC unroll 8
      for (int c = 0; c < 8; ++c) {
        const int8_t* xb = xq + b * kQKK + 64 * p + 4 * c;
        const __m256i xlo = broadcast4(xb), xhi = broadcast4(xb + 32);
#pragma GCC unroll 2
        for (int h = 0; h < 2; ++h) {
          __m256i lo, hi;
          K::operands(blk, h, p, c, lo, hi);
          s0[h] = _mm256_add_epi16(s0[h], _mm256_maddubs_epi16(lo, xlo));
          s1[h] = _mm256_add_epi16(s1[h], _mm256_maddubs_epi16(hi, xhi));
        }
        if ((c + 1) % K::kChunks == 0) {
#pragma GCC unroll 2
          for (int h = 0; h < 2; ++h) {
            isum[h] = add_scaled(isum[h], s0[h], s1[h], s, p, h);
            s0[h] = s1[h] = _mm256_setzero_si256();
          }
        }
      }
    }
#pragma GCC unroll 2
    for (int h = 0; h < 2; ++h) acc[h] = scale_and_add(acc[h], isum[h], blk, s, h, xs + b * 16, xd[b]);
  }
  for (int h = 0; h < 2; ++h) _mm256_storeu_ps(g.y + i0 * g.ldy + row0 + 8 * h, acc[h]);
}

template <typename K>
void gemm(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1) {
  for_x16_tiles(
      g, r0, r1, i0, i1, [&](const uint8_t* grp, int64_t r, int64_t i) { tile_one<K>(g, grp, r, i); },
      [&](auto a, const uint8_t* grp, int64_t r, int64_t i, int h, bool prefetch) {
        tile<K, decltype(a)::value>(g, grp, r, i, h, prefetch);
      });
}

}  // namespace

GemmFn gemm_q4_k_x16() { return gemm<BitsQ4_K>; }
GemmFn gemm_q5_k_x16() { return gemm<BitsQ5_K>; }

}  // namespace cellar::kernels::avx2
