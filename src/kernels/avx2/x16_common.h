#pragma once
// Pieces shared by the AVX2 x16 tiles (x16_avx2.cpp, x16_q4k_avx2.cpp).
#include "kernels/avx2/simd256.h"

#include <cstdint>
#include <cstring>

#include "kernels/act_rows.h"

namespace cellar::kernels::avx2 {

// Activation bytes p[0..3] in every int32 lane.
inline __m256i broadcast4(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return _mm256_set1_epi32(v);
}

}  // namespace cellar::kernels::avx2
