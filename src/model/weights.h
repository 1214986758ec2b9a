#pragma once
// Views of the weight tensors inside the mapped file (or, for matrices
// repacked at load, inside the model's RepackedStore). `rows` x `cols` with
// cols the contiguous dimension (GGUF ne[0]), i.e. W[out][in].
#include <cstdint>
#include <vector>

#include "gguf/ggml_type.h"
#include "kernels/interleave.h"

namespace cellar {

struct TensorView {
  const void* data = nullptr;
  GgmlType type = GgmlType::F32;
  int64_t rows = 0;
  int64_t cols = 0;
  kernels::Layout layout = kernels::Layout::kRows;  // kX16 once repacked (model/repack.h)
  explicit operator bool() const { return data != nullptr; }
};

struct LayerWeights {
  TensorView attn_norm;  // [n_embd]
  TensorView wq;         // [n_head*head_dim][n_embd]
  TensorView wk;         // [n_head_kv*head_dim][n_embd]
  TensorView wv;         // [n_head_kv*head_dim][n_embd]
  TensorView wo;         // [n_embd][n_head*head_dim]
  TensorView bq, bk, bv; // qwen2 biases, F32 [n_out]; empty for llama
  TensorView ffn_norm;   // [n_embd]
  TensorView w_gate;     // [n_ff][n_embd]
  TensorView w_up;       // [n_ff][n_embd]
  TensorView w_down;     // [n_embd][n_ff]
};

struct ModelWeights {
  TensorView tok_embd;     // [n_vocab][n_embd]
  TensorView output_norm;  // [n_embd]
  TensorView output;       // [n_vocab][n_embd] (== tok_embd when tied)
  TensorView rope_freqs;   // Llama 3.1 per-dimension divisors [n_rot/2], optional
  std::vector<LayerWeights> layers;
};

}  // namespace cellar
