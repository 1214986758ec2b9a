#pragma once
// Hyper-parameters of a Llama-family transformer, read from `<arch>.*` GGUF keys.
#include <cstdint>
#include <string>
#include <vector>

namespace cellar {

enum class RopeStyle {
  kNormal,  // llama: rotate adjacent pairs (x[2i], x[2i+1])
  kNeox,    // qwen2 / GPT-NeoX: rotate halves (x[i], x[i + d/2])
};

struct HParams {
  std::string arch;
  std::string name;
  int n_vocab = 0;
  int n_ctx_train = 0;
  int n_embd = 0;
  int n_layer = 0;
  int n_head = 0;
  int n_head_kv = 0;
  int n_ff = 0;
  int head_dim = 0;   // n_embd / n_head unless the file says otherwise
  int n_rot = 0;      // rotary dimensions (<= head_dim)
  float rms_eps = 1e-5f;
  float rope_freq_base = 10000.f;
  float rope_freq_scale = 1.f;  // linear scaling: positions are multiplied by this
  RopeStyle rope_style = RopeStyle::kNormal;
  bool has_qkv_bias = false;
  bool tied_embeddings = false;  // no output.weight: logits use token_embd

  int n_embd_kv() const { return n_head_kv * head_dim; }
  int n_gqa() const { return n_head / n_head_kv; }
};

}  // namespace cellar
