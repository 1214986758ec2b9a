#pragma once
// File types ("Q4_K_M", "Q8_0", ...) and the per-tensor types they assign,
// following llama.cpp's llama_tensor_get_type so that our files have the same
// sizes and accuracy as the ones users download.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gguf/ggml_type.h"

namespace cellar {

struct FileType {
  std::string_view name;  // "Q4_K_M"
  GgmlType base;          // the bulk tensor type
  uint32_t llama_ftype;   // value of general.file_type (llama.cpp's enum)
};

std::optional<FileType> find_file_type(std::string_view name);  // case-insensitive
std::vector<std::string_view> file_type_names();

struct RecipeModel {
  int n_layer = 1;
  int n_gqa = 1;          // attention heads per KV head
  bool tied_embeddings = false;  // token_embd doubles as the output matrix
};

// Type for the 2-D tensor `name` (GGUF tensor name) whose rows have `cols`
// elements. 1-D tensors stay F32.
GgmlType tensor_type_for(const FileType& ft, const std::string& name, const RecipeModel& m, int64_t cols);

}  // namespace cellar
