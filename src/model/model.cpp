#include "model/model.h"

#include <algorithm>

#include "model/arch/arch.h"

namespace cellar {

std::shared_ptr<Model> Model::load(const std::string& path, const ModelLoadOptions& opts) {
  return from_file(GgufFile::open(path), opts);
}

std::shared_ptr<Model> Model::from_file(std::unique_ptr<GgufFile> file, const ModelLoadOptions& opts) {
  std::shared_ptr<Model> m(new Model());
  m->file_ = std::move(file);
  const GgufFile& f = *m->file_;
  std::string arch = f.architecture();
  const ArchSpec* spec = find_arch(arch);
  if (!spec) {
    std::string names;
    for (auto n : supported_archs()) names += (names.empty() ? "" : ", ") + std::string(n);
    throw ModelError("unsupported architecture '" + arch + "' in " + f.path() + " (supported: " + names + ")");
  }
  m->hparams_.arch = arch;
  spec->load_hparams(f, m->hparams_);
  spec->bind_weights(f, m->hparams_, m->weights_);
  if (opts.mlock) {
    std::string err;
    if (!f.lock_memory(&err)) {
      throw ModelError("--mlock: cannot lock " + std::to_string(f.file_size()) + " bytes in RAM: " + err +
                       " (raise `ulimit -l` or give the process CAP_IPC_LOCK)");
    }
  }
  return m;
}

uint64_t Model::weight_bytes() const {
  uint64_t total = 0;
  for (const auto& t : file_->tensors()) total += t.n_bytes;
  return total;
}

uint64_t Model::kv_bytes_per_sequence(int n_ctx) const {
  // K and V, F16, for every layer.
  return 2ull * hparams_.n_layer * static_cast<uint64_t>(n_ctx) * hparams_.n_embd_kv() * 2ull;
}

}  // namespace cellar
