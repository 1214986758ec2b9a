#pragma once
// How many bytes a model's weights take in a given llama.cpp file type
// ("Q4_K_M", "Q8_0", "F16", ...). Mixed recipes do not quantize every tensor
// alike: llama.cpp's llama_tensor_get_type (src/llama-quant.cpp) gives the
// output matrix Q6_K, attn_v and ffn_down more bits in some layers, and falls
// back to a legacy type when a row length is not a multiple of the k-quant
// block (256). We follow those rules tensor by tensor, so the estimate lands
// within a few kilobytes of a real file's tensor data.
#include <cstdint>
#include <string>
#include <vector>

#include "gguf/ggml_type.h"
#include "plan/model_shape.h"

namespace cellar::plan {

enum class FileType {
  F32,
  F16,
  BF16,
  Q4_0,
  Q4_1,
  Q5_0,
  Q5_1,
  Q8_0,
  Q2_K,
  Q3_K_S,
  Q3_K_M,
  Q3_K_L,
  Q4_K_S,
  Q4_K_M,
  Q5_K_S,
  Q5_K_M,
  Q6_K,
};

// "Q4_K_M", "q4_k_m", "f16" ...; CatalogError with the nearest names when
// unknown.
FileType file_type_from_name(const std::string& name);
std::string file_type_name(FileType t);
std::vector<std::string> file_type_names();

// The ggml type llama.cpp's quantizer picks for each tensor of `shape`.
struct TensorPlan {
  TensorShape tensor;
  GgmlType type;
  uint64_t n_bytes;
};
std::vector<TensorPlan> plan_tensor_types(const ModelShape& shape, FileType ftype);

// Sum of n_bytes over plan_tensor_types().
uint64_t weights_bytes(const ModelShape& shape, FileType ftype);

}  // namespace cellar::plan
