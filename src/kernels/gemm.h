#pragma once
// Internal interface between the matmul driver and the per-ISA kernels.
// A GemmFn computes y[i][r] for activation rows i in [i0, i1) and weight
// rows r in [r0, r1); the driver hands each thread its own tiles.
#include <cstddef>
#include <cstdint>

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

// Vector ops (see kernels.h for meaning).
struct VecOps {
  float (*dot_f32)(const float*, const float*, int64_t);
  float (*dot_f16_f32)(const uint16_t*, const float*, int64_t);
  void (*axpy_f16)(float, const uint16_t*, float*, int64_t);
  void (*fp32_to_fp16_row)(const float*, uint16_t*, int64_t);
};

// What one ISA folder offers; a null entry means "use the scalar reference".
using QuantizeActsFn = void (*)(QuantizedActs& out, const float* x, int64_t i0, int64_t i1);

struct IsaKernels {
  GemmFn (*gemm)(GgmlType t);  // null result: no kernel for that type
  VecOps vec;
  QuantizeActsFn quantize_acts;
};

const IsaKernels& scalar_kernels();
const IsaKernels& avx2_kernels();
const IsaKernels& avx512_kernels();

}  // namespace cellar::kernels
