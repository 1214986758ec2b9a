#pragma once
// `cellar quantize`: re-encode a model's weight matrices with a file type's
// recipe; 1-D tensors (norms, biases) are copied unchanged.
#include <cstdint>
#include <string>

#include "model/quant_recipe.h"

namespace cellar {

struct QuantizeStats {
  uint64_t bytes_in = 0, bytes_out = 0;
  int tensors_requantized = 0, tensors_copied = 0;
};

QuantizeStats quantize_model(const std::string& in, const std::string& out, const FileType& ft, int n_threads);

}  // namespace cellar
