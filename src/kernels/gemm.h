#pragma once
// Internal interface between the matmul driver and the per-ISA kernels.
// A GemmFn computes y[i][r] for activation rows i in [i0, i1) and weight
// rows r in [r0, r1); the driver hands each thread its own tiles.
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "gguf/ggml_type.h"
#include "kernels/activations.h"

namespace cellar::kernels {

struct GemmArgs {
  const uint8_t* w;  // [rows][w_stride] bytes
  size_t w_stride;   // bytes per weight row
  int64_t cols;      // elements per weight row
  const QuantizedActs* x;
  float* y;  // [m][ldy]
  int64_t ldy;
};

using GemmFn = void (*)(const GemmArgs& a, int64_t r0, int64_t r1, int64_t i0, int64_t i1);

// Runs tile(std::integral_constant<int, A>, i) over activation rows [i0, i1)
// in tiles of kMax rows and one smaller tile for the rest, so kernels get the
// tile height as a compile-time constant (their accumulators live in
// registers). Lambdas passed in are local to one ISA's file, so each
// instantiation is too.
template <int N, typename Tile>
inline void act_tail(int64_t left, int64_t i, Tile& tile) {
  if constexpr (N > 0) {
    if (left == N) {
      tile(std::integral_constant<int, N>{}, i);
    } else {
      act_tail<N - 1>(left, i, tile);
    }
  }
}

template <int kMax, typename Tile>
inline void for_act_tiles(int64_t i0, int64_t i1, Tile&& tile) {
  int64_t i = i0;
  for (; i + kMax <= i1; i += kMax) tile(std::integral_constant<int, kMax>{}, i);
  act_tail<kMax - 1>(i1 - i, i, tile);
}

// Four weight rows one tile works on; rows past `n` repeat r[n - 1] and
// their results are dropped. A chunk [r0, r1) is dealt out in quarters:
// tile j takes rows r0 + j + k * step (k = 0..3), so each of the four rows
// a tile reads advances through its own contiguous quarter of the chunk.
// Four *adjacent* rows would put four interleaved streams in the same pages,
// which the hardware prefetcher follows badly (half the DRAM bandwidth
// measured on Zen for m = 1). With `unit` = 16 the items are x16 groups
// (r holds each group's first row): four streams per thread read DRAM
// faster than one.
struct RowQuad {
  int64_t r[4];
  int n;
};

template <typename F>
inline void for_row_quads(int64_t r0, int64_t r1, F&& f, int64_t unit = 1) {
  const int64_t items = (r1 - r0) / unit, step = (items + 3) / 4;
  for (int64_t j = 0; j < step; ++j) {
    RowQuad q{{}, 0};
    for (int k = 0; k < 4; ++k) {
      const int64_t item = j + k * step;
      if (item < items) q.r[q.n++] = r0 + item * unit;
    }
    for (int k = q.n; k < 4; ++k) q.r[k] = q.r[q.n - 1];
    f(q);
  }
}

// Vector ops (see kernels.h for meaning).
struct VecOps {
  float (*dot_f32)(const float*, const float*, int64_t);
  float (*dot_f16_f32)(const uint16_t*, const float*, int64_t);
  void (*axpy_f16)(float, const uint16_t*, float*, int64_t);
  void (*fp32_to_fp16_row)(const float*, uint16_t*, int64_t);
  void (*swiglu)(const float*, const float*, float*, int64_t);
  void (*exp_f32)(const float*, float*, int64_t);
};

// What one ISA folder offers; a null entry means "use the scalar reference".
using QuantizeActsFn = void (*)(QuantizedActs& out, const float* x, int64_t i0, int64_t i1);

struct IsaKernels {
  GemmFn (*gemm)(GgmlType t);      // null result: no kernel for that type
  GemmFn (*gemm_x16)(GgmlType t);  // the same for the x16 layout (interleave.h)
  VecOps vec;
  QuantizeActsFn quantize_acts;
};

// Scalar reference gemm of the x16 layout (gemm_x16_scalar.cpp).
GemmFn scalar_gemm_x16(GgmlType t);

const IsaKernels& scalar_kernels();
const IsaKernels& avx2_kernels();
const IsaKernels& avx512_kernels();

}  // namespace cellar::kernels
