#pragma once
// Pieces shared by the AVX2 x16 tiles (x16_avx2.cpp, x16_q4k_avx2.cpp).
#include "kernels/avx2/simd256.h"

#include <cstdint>
#include <cstring>

#include "kernels/act_rows.h"
#include "kernels/gemm.h"
#include "kernels/interleave.h"
#include "kernels/prefetch.h"

namespace cellar::kernels::avx2 {

// Activation bytes p[0..3] in every int32 lane.
inline __m256i broadcast4(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return _mm256_set1_epi32(v);
}

// Walks the x16 groups of rows [r0, r1) x activation rows [i0, i1) the way
// every AVX2 x16 kernel does: one activation row (decode) takes both 8-row
// halves of a group in one tile, reading whole 64-byte lines (two passes of
// half lines left Q4_0 decode at 24 GB/s instead of 31-33); more rows take
// each half in turn, up to 4 activation rows per tile.
// decode(grp, row0, i) for one row; tile(a, grp, row0, i, h, prefetch) with
// a = std::integral_constant<int, A> otherwise, prefetch set for the group's
// first tile: it streams the group from DRAM (kernels/prefetch.h); later
// tiles find it in L1/L2.
template <typename Decode, typename Tile>
inline void for_x16_tiles(const GemmArgs& g, int64_t r0, int64_t r1, int64_t i0, int64_t i1, Decode&& decode,
                          Tile&& tile) {
  for (int64_t r = r0; r < r1; r += kInterleave) {
    const uint8_t* grp = g.w + r * g.w_stride;  // group r / 16 starts at byte r * row size
    if (i1 - i0 == 1) {
      decode(grp, r, i0);
      continue;
    }
    for (int h = 0; h < 2; ++h) {
      for_act_tiles<4>(i0, i1, [&](auto a, int64_t i) { tile(a, grp, r, i, h, h == 0 && i == i0); });
    }
  }
}

}  // namespace cellar::kernels::avx2
