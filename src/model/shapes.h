#pragma once
// Published shapes of popular models, for `cellar synth` (random weights of a
// real shape: benchmarks and tests without downloading multi-GB files).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cellar {

struct ModelShape {
  std::string_view name;
  std::string_view arch;       // "llama" or "qwen2"
  std::string_view tokenizer;  // "llama" (SentencePiece) or "gpt2" (byte-level BPE)
  int n_vocab, n_ctx, n_embd, n_layer, n_head, n_head_kv, n_ff;
  float rope_base, rms_eps;
  bool tied_embeddings;
};

std::optional<ModelShape> find_shape(std::string_view name);
std::vector<std::string_view> shape_names();

}  // namespace cellar
