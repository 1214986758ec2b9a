#pragma once
// Pieces shared by the x16 AVX-512 tiles (x16_avx512.cpp, x16_q6k_avx512.cpp).
#include <cstdint>
#include <cstring>

#include "kernels/activations.h"

namespace cellar::kernels::avx512 {

inline int32_t load_i32(const int8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// The quantized rows i0 .. i0 + A - 1 a tile multiplies.
template <int A>
struct ActRows {
  const int8_t* q[A];       // [cols]
  const float* d[A];        // [cols / act block]
  const int16_t* bsums[A];  // [cols / 16]

  ActRows(const QuantizedActs& x, int64_t i0) {
    for (int a = 0; a < A; ++a) {
      q[a] = x.row_qs(i0 + a);
      d[a] = x.row_d(i0 + a);
      bsums[a] = x.row_bsums(i0 + a);
    }
  }
};

}  // namespace cellar::kernels::avx512
