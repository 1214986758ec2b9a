#include "plan/model_shape.h"

#include <cmath>

namespace cellar::plan {

ModelShape shape_from_spec(const ModelSpec& spec) {
  ModelShape s;
  s.name = spec.name;
  s.arch = spec.arch;
  s.n_layer = spec.n_layer;
  s.n_embd = spec.n_embd;
  s.n_head = spec.n_head;
  s.n_head_kv = spec.n_head_kv;
  s.head_dim = spec.head_dim > 0 ? spec.head_dim : spec.n_embd / spec.n_head;
  s.n_ff = spec.n_ff;
  s.n_vocab = spec.n_vocab;
  s.n_ctx_train = spec.n_ctx_train;
  s.tied_embeddings = spec.tied_embeddings;
  s.qkv_bias = spec.qkv_bias;
  return s;
}

namespace {

void add_block(const ModelShape& s, int il, std::vector<TensorShape>& out) {
  const std::string p = "blk." + std::to_string(il) + ".";
  const int64_t q_dim = static_cast<int64_t>(s.n_head) * s.head_dim;
  const int64_t kv_dim = static_cast<int64_t>(s.n_head_kv) * s.head_dim;
  out.push_back({p + "attn_norm.weight", s.n_embd, 1, il});
  if (s.arch == "chatglm") {
    // ChatGLM fuses q, k and v into one projection (llama.cpp: attn_qkv) and
    // gate+up into one ffn_up of twice the width.
    out.push_back({p + "attn_qkv.weight", s.n_embd, q_dim + 2 * kv_dim, il});
    if (s.qkv_bias) out.push_back({p + "attn_qkv.bias", q_dim + 2 * kv_dim, 1, il});
  } else {
    out.push_back({p + "attn_q.weight", s.n_embd, q_dim, il});
    out.push_back({p + "attn_k.weight", s.n_embd, kv_dim, il});
    out.push_back({p + "attn_v.weight", s.n_embd, kv_dim, il});
    if (s.qkv_bias) {
      out.push_back({p + "attn_q.bias", q_dim, 1, il});
      out.push_back({p + "attn_k.bias", kv_dim, 1, il});
      out.push_back({p + "attn_v.bias", kv_dim, 1, il});
    }
  }
  out.push_back({p + "attn_output.weight", q_dim, s.n_embd, il});
  out.push_back({p + "ffn_norm.weight", s.n_embd, 1, il});
  if (s.arch == "chatglm") {
    out.push_back({p + "ffn_up.weight", s.n_embd, 2 * static_cast<int64_t>(s.n_ff), il});
  } else {
    out.push_back({p + "ffn_gate.weight", s.n_embd, s.n_ff, il});
    out.push_back({p + "ffn_up.weight", s.n_embd, s.n_ff, il});
  }
  out.push_back({p + "ffn_down.weight", s.n_ff, s.n_embd, il});
}

}  // namespace

std::vector<TensorShape> model_tensors(const ModelShape& s) {
  std::vector<TensorShape> out;
  out.push_back({"token_embd.weight", s.n_embd, s.n_vocab, -1});
  for (int il = 0; il < s.n_layer; ++il) add_block(s, il, out);
  out.push_back({"output_norm.weight", s.n_embd, 1, -1});
  if (!s.tied_embeddings) out.push_back({"output.weight", s.n_embd, s.n_vocab, -1});
  return out;
}

int64_t parameter_count(const ModelShape& shape) {
  int64_t n = 0;
  for (const auto& t : model_tensors(shape)) n += t.n_elements();
  return n;
}

uint64_t kv_cache_bytes_per_sequence(const ModelShape& s, int64_t n_ctx,
                                     double bytes_per_element) {
  const double elems = 2.0 * s.n_layer * s.n_head_kv * static_cast<double>(s.head_dim) *
                       static_cast<double>(n_ctx);
  return static_cast<uint64_t>(std::llround(elems * bytes_per_element));
}

}  // namespace cellar::plan
