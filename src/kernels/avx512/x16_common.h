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

// *p broadcast to every lane by a load. Written as asm because GCC, when p
// was just stored from a register, extracts the value there and broadcasts
// it from a general-purpose register instead: up to three vector ops where
// the load needs none, and the x16 tiles are bound by vector ops on Zen 4.
inline __m512i broadcast_load(const int32_t* p) {
  __m512i r;
  asm("vpbroadcastd %1, %0" : "=v"(r) : "m"(*p));
  return r;
}

}  // namespace cellar::kernels::avx512
