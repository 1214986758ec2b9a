// Scalar reference of the vector ops and the scalar ISA table.
#include <cmath>

#include "kernels/activations.h"
#include "kernels/fp16.h"
#include "kernels/gemm.h"

namespace cellar::kernels {
namespace {

float dot_f32(const float* a, const float* b, int64_t n) {
  float s = 0.0f;
  for (int64_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

float dot_f16_f32(const uint16_t* a, const float* b, int64_t n) {
  float s = 0.0f;
  for (int64_t i = 0; i < n; ++i) s += fp16_to_fp32(a[i]) * b[i];
  return s;
}

void axpy_f16(float alpha, const uint16_t* x, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] += alpha * fp16_to_fp32(x[i]);
}

void fp32_to_fp16_row(const float* src, uint16_t* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) dst[i] = fp32_to_fp16(src[i]);
}

void swiglu(const float* gate, const float* up, float* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

void exp_f32(const float* x, float* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = std::exp(x[i]);
}

GemmFn no_gemm(GgmlType) { return nullptr; }

}  // namespace

const IsaKernels& scalar_kernels() {
  static const IsaKernels k{no_gemm, no_gemm, {dot_f32, dot_f16_f32, axpy_f16, fp32_to_fp16_row, swiglu, exp_f32}, quantize_acts_rows};
  return k;
}

}  // namespace cellar::kernels
