#pragma once
// A loaded model: hyper-parameters and weight views into the mapped GGUF file
// (no weight is copied). Immutable after load, shared by every inference
// context and scheduler that serves it.
#include <memory>
#include <stdexcept>
#include <string>

#include "gguf/gguf_file.h"
#include "model/hparams.h"
#include "model/weights.h"

namespace cellar {

// Unknown architecture, missing tensor, wrong shape, unsupported tensor type.
class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ModelLoadOptions {
  bool mlock = false;  // pin the mapping in RAM (servers)
};

class Model {
 public:
  static std::shared_ptr<Model> load(const std::string& path, const ModelLoadOptions& opts = {});
  // Binds an already opened file (takes ownership).
  static std::shared_ptr<Model> from_file(std::unique_ptr<GgufFile> file, const ModelLoadOptions& opts = {});

  const HParams& hparams() const { return hparams_; }
  const ModelWeights& weights() const { return weights_; }
  const GgufFile& file() const { return *file_; }
  uint64_t weight_bytes() const;  // bytes of all tensors (mapped, read per token)
  // F16 KV cache bytes for `n_ctx` tokens of one sequence.
  uint64_t kv_bytes_per_sequence(int n_ctx) const;

 private:
  Model() = default;
  std::unique_ptr<GgufFile> file_;
  HParams hparams_;
  ModelWeights weights_;
};

}  // namespace cellar
