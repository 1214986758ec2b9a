#pragma once
// What a served model is (ModelInfo), from its spec and its GGUF file. A
// loaded model is described from its Model; one that loads on demand is
// described from the file's header alone, so /v1/models/{name} and /api/show
// answer without loading it (no weights touched, no KV cache, no budget).
#include <cstdint>
#include <string>

#include "server/backend.h"
#include "server/engine_backend.h"

namespace cellar {
class GgufFile;
}

namespace cellar::server {

// The shape facts ModelInfo reports, wherever they were read from.
struct ModelShape {
  std::string arch;
  int n_ctx_train = 0;
  int n_vocab = 0;
  int n_embd = 0;
  uint64_t weight_bytes = 0;
};

// From the `<arch>.*` and tokenizer keys of the header.
ModelShape header_shape(const GgufFile& file);

ModelInfo describe_model(const ModelSpec& spec, const GgufFile& file, const ModelShape& shape,
                         const std::string& chat_template, int n_ctx, int n_slots);

// The template override `spec` brings (the deployment's, else its file's), if any.
std::optional<std::string> chat_template_override(const ModelSpec& spec);

// A model that is not loaded, as it would serve under `opts`; loaded_at is the epoch.
// Throws GgufError when the file is not a readable GGUF.
ModelInfo describe_unloaded(const ModelSpec& spec, const EngineOptions& opts);

}  // namespace cellar::server
