#pragma once
// The quantized activation rows a SIMD tile multiplies (every ISA's x16 tiles).
#include <cstdint>

#include "kernels/activations.h"

namespace cellar::kernels {
// Internal linkage on purpose: each ISA folder compiles this with its own
// instruction set, and with one shared (inline, external) copy the linker
// could hand the AVX2 kernels the AVX-512 folder's build of it.
namespace {

// Rows i0 .. i0 + A - 1 of x.
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

}  // namespace
}  // namespace cellar::kernels
