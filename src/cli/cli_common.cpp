#include "cli/cli_common.h"

#include <algorithm>
#include <iostream>
#include <iterator>

#include "model/kv_cache.h"
#include "util/thread_pool.h"

namespace cellar::cli {

LoadedModel load_model(const std::string& path, const ModelLoadOptions& opts) {
  LoadedModel lm;
  lm.model = Model::load(path, opts);
  lm.tokenizer = Tokenizer::from_gguf(lm.model->file());
  if (lm.tokenizer->n_vocab() != lm.model->hparams().n_vocab) {
    throw UsageError(path + ": vocabulary has " + std::to_string(lm.tokenizer->n_vocab()) +
                     " tokens but token_embd has " + std::to_string(lm.model->hparams().n_vocab) + " rows");
  }
  return lm;
}

int resolve_context(const Model& m, int requested, int def) {
  const int trained = m.hparams().n_ctx_train;
  if (requested < 0) throw UsageError("context size must be positive");
  if (requested == 0) return std::min(def, trained);
  if (requested > trained) {
    throw UsageError("context size " + std::to_string(requested) + " exceeds the model's trained context of " +
                     std::to_string(trained));
  }
  return requested;
}

int resolve_threads(int requested) {
  if (requested < 0 || requested > 1024) throw UsageError("thread count must be between 1 and 1024");
  return requested == 0 ? default_thread_count() : requested;
}

GgmlType resolve_kv_type(const std::string& name) {
  if (auto t = KvCache::type_from_name(name)) return *t;
  throw UsageError("--kv-type must be f16 or q8_0, got '" + name + "'");
}

std::string read_text_arg(const std::string& arg) {
  if (arg != "-") return arg;
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

}  // namespace cellar::cli
