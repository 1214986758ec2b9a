#pragma once
// Per-type kernel table on top of the GGUF type table (gguf/ggml_type.h):
// which activation format a type pairs with, and its scalar reference
// dequantizer, quantizer and gemm. SIMD gemms are chosen in dispatch.cpp.
#include <cstddef>
#include <cstdint>

#include "gguf/ggml_type.h"
#include "kernels/activations.h"
#include "kernels/gemm.h"

namespace cellar::kernels {

struct TypeKernels {
  GgmlType type;  // block size and bytes: ggml_type_info(type)
  ActFormat act;
  void (*dequantize)(const void* src, float* dst, int64_t n);  // n % block size == 0
  void (*quantize)(const float* src, void* dst, int64_t n);
  GemmFn scalar_gemm;
};

// Table entry of a supported type, or nullptr.
const TypeKernels* type_kernels(GgmlType t);

// Scalar reference pieces, one per type family (dequantize.cpp, quantize*.cpp, gemm_scalar.cpp).
void dequantize_q4_0(const void*, float*, int64_t);
void dequantize_q4_1(const void*, float*, int64_t);
void dequantize_q5_0(const void*, float*, int64_t);
void dequantize_q5_1(const void*, float*, int64_t);
void dequantize_q8_0(const void*, float*, int64_t);
void dequantize_q2_k(const void*, float*, int64_t);
void dequantize_q3_k(const void*, float*, int64_t);
void dequantize_q4_k(const void*, float*, int64_t);
void dequantize_q5_k(const void*, float*, int64_t);
void dequantize_q6_k(const void*, float*, int64_t);
void dequantize_f32(const void*, float*, int64_t);
void dequantize_f16(const void*, float*, int64_t);
void dequantize_bf16(const void*, float*, int64_t);

void quantize_q4_0(const float*, void*, int64_t);
void quantize_q4_1(const float*, void*, int64_t);
void quantize_q5_0(const float*, void*, int64_t);
void quantize_q5_1(const float*, void*, int64_t);
void quantize_q8_0(const float*, void*, int64_t);
void quantize_q2_k(const float*, void*, int64_t);
void quantize_q3_k(const float*, void*, int64_t);
void quantize_q4_k(const float*, void*, int64_t);
void quantize_q5_k(const float*, void*, int64_t);
void quantize_q6_k(const float*, void*, int64_t);
void quantize_f32(const float*, void*, int64_t);
void quantize_f16(const float*, void*, int64_t);
void quantize_bf16(const float*, void*, int64_t);

// Scalar gemm for a type (gemm_scalar.cpp).
GemmFn scalar_gemm(GgmlType t);

}  // namespace cellar::kernels
