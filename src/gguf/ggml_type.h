#pragma once
// Tensor element types as numbered by ggml / the GGUF spec
// (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md), and the
// traits every layer needs to size and validate tensors: block size (elements
// per block) and bytes per block. Kernels add function pointers on top
// (src/kernels/type_traits.h); this table stays free of any kernel code so the
// GGUF reader can validate files without knowing how to compute with them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace cellar {

enum class GgmlType : uint32_t {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q4_1 = 3,
  Q5_0 = 6,
  Q5_1 = 7,
  Q8_0 = 8,
  Q8_1 = 9,
  Q2_K = 10,
  Q3_K = 11,
  Q4_K = 12,
  Q5_K = 13,
  Q6_K = 14,
  Q8_K = 15,
  IQ2_XXS = 16,
  IQ2_XS = 17,
  IQ3_XXS = 18,
  IQ1_S = 19,
  IQ4_NL = 20,
  IQ3_S = 21,
  IQ2_S = 22,
  IQ4_XS = 23,
  I8 = 24,
  I16 = 25,
  I32 = 26,
  I64 = 27,
  F64 = 28,
  IQ1_M = 29,
  BF16 = 30,
  TQ1_0 = 34,
  TQ2_0 = 35,
  MXFP4 = 39,
};

struct GgmlTypeInfo {
  std::string_view name;  // as llama.cpp prints it, e.g. "Q4_K"
  uint32_t block_size;    // elements per block
  uint32_t type_size;     // bytes per block
  bool supported;         // Cellar can compute with it (dequantize, dot)
};

// Traits of a known type id, or nullopt for an id the spec does not define.
std::optional<GgmlTypeInfo> ggml_type_info(uint32_t id);
const GgmlTypeInfo& ggml_type_info(GgmlType t);

// Bytes of a row of `n` elements; n must be a multiple of the block size.
size_t ggml_row_size(GgmlType t, int64_t n);

// Type named like "Q4_K" or "q4_k" (case-insensitive), or nullopt.
std::optional<GgmlType> ggml_type_from_name(std::string_view name);

}  // namespace cellar
