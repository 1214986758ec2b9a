#pragma once
// Pieces shared by the x16 AVX-512 tiles (x16_avx512.cpp, x16_q6k_avx512.cpp).
#include <cstdint>
#include <cstring>

#include "kernels/act_rows.h"
#include "kernels/avx512/simd512.h"

namespace cellar::kernels::avx512 {

inline int32_t load_i32(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// isum + s0 * sc0 + s1 * sc1 per int32 lane: two sub-blocks' integer sums
// times their per-row scales (sc0, sc1: [16] int32, one per row).
inline __m512i add_scaled(__m512i isum, __m512i s0, const int32_t* sc0, __m512i s1, const int32_t* sc1) {
  return _mm512_add_epi32(isum, _mm512_add_epi32(_mm512_mullo_epi32(s0, _mm512_load_si512(sc0)),
                                                 _mm512_mullo_epi32(s1, _mm512_load_si512(sc1))));
}

// sum over j < 8 of pairs[j] . (bs[2j], bs[2j + 1]) per lane with vpdpwssd:
// pairs hold two int16 per lane (per-row scales or mins of two 16-element
// groups), bs the activations' 16-element sums.
inline __m512i dot_pairs(const int32_t (*pairs)[16], const int16_t* bs) {
  __m512i sum = _mm512_setzero_si512();
#pragma GCC unroll 8
  for (int j = 0; j < 8; ++j) {
    int32_t two;
    std::memcpy(&two, bs + 2 * j, 4);
    sum = _mm512_dpwssd_epi32(sum, _mm512_load_si512(pairs[j]), _mm512_set1_epi32(two));
  }
  return sum;
}

}  // namespace cellar::kernels::avx512
