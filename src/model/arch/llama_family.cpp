// Hyper-parameters and tensor names shared by Llama-family GGUF files
// (names as written by llama.cpp's convert_hf_to_gguf.py).
#include <cmath>

#include "model/arch/arch.h"
#include "model/model.h"

namespace cellar {
namespace {

int64_t require_int(const GgufFile& f, const std::string& key) {
  auto v = f.get_int(key);
  if (!v) throw ModelError("missing metadata '" + key + "' (" + f.path() + ")");
  if (*v <= 0 || *v > (int64_t{1} << 30)) {
    throw ModelError("metadata '" + key + "' = " + std::to_string(*v) + " is out of range");
  }
  return *v;
}

int64_t optional_int(const GgufFile& f, const std::string& key, int64_t def) {
  auto v = f.get_int(key);
  if (!v) return def;
  if (*v <= 0 || *v > (int64_t{1} << 30)) {
    throw ModelError("metadata '" + key + "' = " + std::to_string(*v) + " is out of range");
  }
  return *v;
}

void load_rope_scaling(const GgufFile& f, const std::string& a, HParams& hp) {
  hp.rope_freq_base = static_cast<float>(f.get_float(a + ".rope.freq_base").value_or(hp.rope_freq_base));
  std::string type = f.get_string(a + ".rope.scaling.type").value_or("none");
  double factor = f.get_float(a + ".rope.scaling.factor").value_or(0.0);
  if (type == "linear" && factor > 0) {
    hp.rope_freq_scale = static_cast<float>(1.0 / factor);
  } else if (type != "none" && type != "linear" && !(type == "yarn" && factor <= 1.0)) {
    throw ModelError("unsupported RoPE scaling type '" + type + "' (supported: none, linear)");
  }
  if (!(hp.rope_freq_base > 0) || !std::isfinite(hp.rope_freq_base)) {
    throw ModelError("metadata '" + a + ".rope.freq_base' must be a positive number");
  }
}

}  // namespace

void load_llama_family_hparams(const GgufFile& f, HParams& hp) {
  const std::string a = hp.arch;
  hp.name = f.get_string("general.name").value_or("");
  hp.n_ctx_train = static_cast<int>(require_int(f, a + ".context_length"));
  hp.n_embd = static_cast<int>(require_int(f, a + ".embedding_length"));
  hp.n_layer = static_cast<int>(require_int(f, a + ".block_count"));
  hp.n_ff = static_cast<int>(require_int(f, a + ".feed_forward_length"));
  hp.n_head = static_cast<int>(require_int(f, a + ".attention.head_count"));
  hp.n_head_kv = static_cast<int>(optional_int(f, a + ".attention.head_count_kv", hp.n_head));
  if (hp.n_head % hp.n_head_kv != 0) {
    throw ModelError("attention.head_count " + std::to_string(hp.n_head) + " is not a multiple of head_count_kv " +
                     std::to_string(hp.n_head_kv));
  }
  hp.head_dim = static_cast<int>(optional_int(f, a + ".attention.key_length", hp.n_embd / hp.n_head));
  hp.n_rot = static_cast<int>(optional_int(f, a + ".rope.dimension_count", hp.head_dim));
  if (hp.n_rot > hp.head_dim || hp.n_rot % 2 != 0) {
    throw ModelError("rope.dimension_count " + std::to_string(hp.n_rot) + " must be even and <= head dim " +
                     std::to_string(hp.head_dim));
  }
  hp.rms_eps = static_cast<float>(f.get_float(a + ".attention.layer_norm_rms_epsilon").value_or(1e-5));
  load_rope_scaling(f, a, hp);
  const GgufTensorInfo* emb = f.find_tensor("token_embd.weight");
  if (!emb) throw ModelError("missing tensor 'token_embd.weight' (" + f.path() + ")");
  hp.n_vocab = static_cast<int>(emb->n_elements / emb->ne(0));
  hp.tied_embeddings = f.find_tensor("output.weight") == nullptr;
}

void bind_llama_family_weights(const GgufFile& f, const HParams& hp, ModelWeights& w) {
  const int64_t d = hp.n_embd, q_out = int64_t(hp.n_head) * hp.head_dim, kv_out = hp.n_embd_kv();
  w.tok_embd = bind_tensor(f, "token_embd.weight", {d, hp.n_vocab});
  w.output_norm = bind_tensor(f, "output_norm.weight", {d});
  w.output = hp.tied_embeddings ? w.tok_embd : bind_tensor(f, "output.weight", {d, hp.n_vocab});
  w.rope_freqs = bind_optional_tensor(f, "rope_freqs.weight", {hp.n_rot / 2});
  w.layers.resize(hp.n_layer);
  for (int il = 0; il < hp.n_layer; ++il) {
    const std::string p = "blk." + std::to_string(il) + ".";
    LayerWeights& l = w.layers[il];
    l.attn_norm = bind_tensor(f, p + "attn_norm.weight", {d});
    l.wq = bind_tensor(f, p + "attn_q.weight", {d, q_out});
    l.wk = bind_tensor(f, p + "attn_k.weight", {d, kv_out});
    l.wv = bind_tensor(f, p + "attn_v.weight", {d, kv_out});
    l.wo = bind_tensor(f, p + "attn_output.weight", {q_out, d});
    if (hp.has_qkv_bias) {
      l.bq = bind_tensor(f, p + "attn_q.bias", {q_out});
      l.bk = bind_tensor(f, p + "attn_k.bias", {kv_out});
      l.bv = bind_tensor(f, p + "attn_v.bias", {kv_out});
    }
    l.ffn_norm = bind_tensor(f, p + "ffn_norm.weight", {d});
    l.w_gate = bind_tensor(f, p + "ffn_gate.weight", {d, hp.n_ff});
    l.w_up = bind_tensor(f, p + "ffn_up.weight", {d, hp.n_ff});
    l.w_down = bind_tensor(f, p + "ffn_down.weight", {hp.n_ff, d});
  }
}

}  // namespace cellar
