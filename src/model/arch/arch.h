#pragma once
// One file per architecture: each registers an ArchSpec that reads its
// hyper-parameters and binds its tensors. Adding Phi-3 or Gemma means a new
// file here (and, if its maths differs, a flag the forward pass honours),
// without touching the others.
#include <string>
#include <string_view>
#include <vector>

#include "gguf/gguf_file.h"
#include "model/hparams.h"
#include "model/weights.h"

namespace cellar {

struct ArchSpec {
  std::string_view name;
  void (*load_hparams)(const GgufFile& file, HParams& hp);
  void (*bind_weights)(const GgufFile& file, const HParams& hp, ModelWeights& w);
};

// Defined one per file in src/model/arch/.
extern const ArchSpec kLlamaArch;
extern const ArchSpec kQwen2Arch;

// nullptr for an architecture Cellar cannot run.
const ArchSpec* find_arch(std::string_view name);
std::vector<std::string_view> supported_archs();

// Shared by the Llama-family architectures (llama, qwen2, ...).
void load_llama_family_hparams(const GgufFile& file, HParams& hp);
void bind_llama_family_weights(const GgufFile& file, const HParams& hp, ModelWeights& w);

// Looks up a tensor, checks its shape ({cols, rows} for matrices, {n} for vectors)
// and that Cellar can compute with its type. Throws ModelError naming it.
TensorView bind_tensor(const GgufFile& file, const std::string& name, std::vector<int64_t> shape);
TensorView bind_optional_tensor(const GgufFile& file, const std::string& name, std::vector<int64_t> shape);

}  // namespace cellar
