#include "model/model.h"

#include <algorithm>
#include <thread>

#include "model/arch/arch.h"
#include "model/kv_cache.h"

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
  std::vector<std::pair<const void*, size_t>> released;  // file ranges replaced by x16 copies
  if (opts.repack) {
    const int n = opts.repack_threads > 0 ? opts.repack_threads : static_cast<int>(std::thread::hardware_concurrency());
    m->n_repacked_ = repack_weights(m->weights_, m->repacked_, std::max(1, n), &released);
  }
  if (opts.mlock) {
    std::string err;
    if (!m->lock_weights(released, &err)) {
      throw ModelError("--mlock: cannot lock " + std::to_string(f.file_size()) + " bytes in RAM: " + err +
                       " (raise `ulimit -l` or give the process CAP_IPC_LOCK)");
    }
  }
  return m;
}

bool Model::lock_weights(const std::vector<std::pair<const void*, size_t>>& released, std::string* err) const {
  if (released.empty()) return file_->lock_memory(err);
  // Only the tensors still read from the file, so the repacked ones are not resident twice.
  for (const auto& t : file_->tensors()) {
    const uint8_t* p = file_->tensor_data(t);
    const bool gone = std::any_of(released.begin(), released.end(), [&](const auto& r) { return r.first == p; });
    if (!gone && t.n_bytes > 0 && !lock_range(p, t.n_bytes, err)) return false;
  }
  return repacked_.lock(err);
}

uint64_t Model::weight_bytes() const {
  uint64_t total = 0;
  for (const auto& t : file_->tensors()) total += t.n_bytes;
  return total;
}

uint64_t Model::kv_bytes_per_sequence(int n_ctx, GgmlType kv_type) const {
  return KvCache::bytes_per_sequence(hparams_.n_layer, n_ctx, hparams_.n_embd_kv(), kv_type);
}

}  // namespace cellar
