#pragma once
// `cellar synth`: a GGUF model of a real shape with random weights and a
// working vocabulary, quantized with the same per-tensor recipe as real files.
#include <cstdint>
#include <string>

#include "model/quant_recipe.h"
#include "model/shapes.h"

namespace cellar {

struct SynthOptions {
  ModelShape shape;
  FileType file_type;
  uint64_t seed = 1;
  int n_threads = 0;  // 0 = physical cores
};

void write_synth_model(const SynthOptions& opts, const std::string& path);

}  // namespace cellar
