// Entry points of kernels.h that are not the matmul.
#include <stdexcept>
#include <string>

#include "kernels/dispatch.h"
#include "kernels/kernels.h"
#include "kernels/type_traits.h"

namespace cellar::kernels {
namespace {

const TypeKernels& checked(GgmlType t, int64_t n, const char* what) {
  const TypeKernels* tk = type_kernels(t);
  if (!tk) {
    throw std::invalid_argument(std::string(what) + ": unsupported tensor type id " +
                                std::to_string(static_cast<uint32_t>(t)));
  }
  const int64_t bs = ggml_type_info(t).block_size;
  if (n < 0 || n % bs != 0) {
    throw std::invalid_argument(std::string(what) + ": " + std::to_string(n) + " elements is not a multiple of " +
                                std::string(ggml_type_info(t).name) + "'s block size " + std::to_string(bs));
  }
  return *tk;
}

}  // namespace

bool type_supported(GgmlType t) { return type_kernels(t) != nullptr; }

void dequantize_row(GgmlType t, const void* src, float* dst, int64_t n) {
  checked(t, n, "dequantize_row").dequantize(src, dst, n);
}

void quantize_row(GgmlType t, const float* src, void* dst, int64_t n) {
  checked(t, n, "quantize_row").quantize(src, dst, n);
}

float dot_f32(const float* a, const float* b, int64_t n) { return active().vec.dot_f32(a, b, n); }
float dot_f16_f32(const uint16_t* a, const float* b, int64_t n) { return active().vec.dot_f16_f32(a, b, n); }
void axpy_f16(float alpha, const uint16_t* x, float* y, int64_t n) { active().vec.axpy_f16(alpha, x, y, n); }
void fp32_to_fp16_row(const float* src, uint16_t* dst, int64_t n) { active().vec.fp32_to_fp16_row(src, dst, n); }
void swiglu(const float* gate, const float* up, float* out, int64_t n) { active().vec.swiglu(gate, up, out, n); }
void exp_f32(const float* x, float* out, int64_t n) { active().vec.exp_f32(x, out, n); }

}  // namespace cellar::kernels
