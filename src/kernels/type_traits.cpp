#include "kernels/type_traits.h"

#include <array>

namespace cellar::kernels {
namespace {

using AF = ActFormat;

const std::array<TypeKernels, 13>& table() {
  static const std::array<TypeKernels, 13> kTable = {{
      {GgmlType::F32, AF::kF32, dequantize_f32, quantize_f32, scalar_gemm(GgmlType::F32)},
      {GgmlType::F16, AF::kF32, dequantize_f16, quantize_f16, scalar_gemm(GgmlType::F16)},
      {GgmlType::BF16, AF::kF32, dequantize_bf16, quantize_bf16, scalar_gemm(GgmlType::BF16)},
      {GgmlType::Q4_0, AF::kQ8x32, dequantize_q4_0, quantize_q4_0, scalar_gemm(GgmlType::Q4_0)},
      {GgmlType::Q4_1, AF::kQ8x32, dequantize_q4_1, quantize_q4_1, scalar_gemm(GgmlType::Q4_1)},
      {GgmlType::Q5_0, AF::kQ8x32, dequantize_q5_0, quantize_q5_0, scalar_gemm(GgmlType::Q5_0)},
      {GgmlType::Q5_1, AF::kQ8x32, dequantize_q5_1, quantize_q5_1, scalar_gemm(GgmlType::Q5_1)},
      {GgmlType::Q8_0, AF::kQ8x32, dequantize_q8_0, quantize_q8_0, scalar_gemm(GgmlType::Q8_0)},
      {GgmlType::Q2_K, AF::kQ8x256, dequantize_q2_k, quantize_q2_k, scalar_gemm(GgmlType::Q2_K)},
      {GgmlType::Q3_K, AF::kQ8x256, dequantize_q3_k, quantize_q3_k, scalar_gemm(GgmlType::Q3_K)},
      {GgmlType::Q4_K, AF::kQ8x256, dequantize_q4_k, quantize_q4_k, scalar_gemm(GgmlType::Q4_K)},
      {GgmlType::Q5_K, AF::kQ8x256, dequantize_q5_k, quantize_q5_k, scalar_gemm(GgmlType::Q5_K)},
      {GgmlType::Q6_K, AF::kQ8x256, dequantize_q6_k, quantize_q6_k, scalar_gemm(GgmlType::Q6_K)},
  }};
  return kTable;
}

}  // namespace

const TypeKernels* type_kernels(GgmlType t) {
  for (const auto& e : table()) {
    if (e.type == t) return &e;
  }
  return nullptr;
}

}  // namespace cellar::kernels
