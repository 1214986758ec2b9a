#pragma once
// A loaded model: hyper-parameters and weight views into the mapped GGUF file
// (no weight is copied). Immutable after load, shared by every inference
// context and scheduler that serves it.
#include <memory>
#include <stdexcept>
#include <string>

#include "gguf/gguf_file.h"
#include "model/hparams.h"
#include "model/repack.h"
#include "model/weights.h"

namespace cellar {

// Unknown architecture, missing tensor, wrong shape, unsupported tensor type.
class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ModelLoadOptions {
  bool mlock = false;   // pin the weights in RAM (servers)
  bool repack = true;   // x16 layout where the CPU's kernels prefer it (model/repack.h)
  int repack_threads = 0;  // 0 = every hardware thread
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
  uint64_t repacked_bytes() const { return repacked_.bytes(); }  // part of them held as x16 copies
  int repacked_matrices() const { return n_repacked_; }
  // K and V bytes of one sequence slot of n_ctx positions (kv_type: F16 or Q8_0).
  uint64_t kv_bytes_per_sequence(int n_ctx, GgmlType kv_type = GgmlType::F16) const;

 private:
  Model() = default;
  bool lock_weights(const std::vector<std::pair<const void*, size_t>>& released, std::string* err) const;
  std::unique_ptr<GgufFile> file_;
  HParams hparams_;
  ModelWeights weights_;
  RepackedStore repacked_;
  int n_repacked_ = 0;
};

}  // namespace cellar
