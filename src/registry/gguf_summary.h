#pragma once
// The facts a model version records about its GGUF file.
#include <cstdint>
#include <string>

namespace cellar {
class GgufFile;
}

namespace cellar::registry {

struct GgufSummary {
  std::string architecture;     // general.architecture, e.g. "llama"
  int64_t parameter_count = 0;  // sum of tensor element counts
  // llama.cpp's file-type name ("Q4_K_M") from general.file_type when known,
  // else the tensor type holding the most bytes ("Q4_K").
  std::string quantization;
};

GgufSummary summarize_gguf(const GgufFile& file);

// Name of a llama.cpp file type (LLAMA_FTYPE_MOSTLY_*), or empty when unknown.
std::string file_type_name(int64_t file_type);

}  // namespace cellar::registry
