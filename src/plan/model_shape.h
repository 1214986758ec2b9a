#pragma once
// The shape of a transformer as the planner needs it, and the list of weight
// tensors that shape implies, named and laid out as in a llama.cpp GGUF file
// (token_embd, blk.N.attn_q, ..., output). Counting parameters from the
// tensor list keeps the parameter count and the per-tensor quantization
// recipe (quant_recipe.h) in agreement by construction.
#include <cstdint>
#include <string>
#include <vector>

#include "plan/catalog.h"

namespace cellar::plan {

struct ModelShape {
  std::string name;
  std::string arch = "llama";  // llama | qwen2 | chatglm
  int n_layer = 0;
  int n_embd = 0;
  int n_head = 0;
  int n_head_kv = 0;
  int head_dim = 0;
  int n_ff = 0;
  int n_vocab = 0;
  int n_ctx_train = 0;
  bool tied_embeddings = false;
  bool qkv_bias = false;

  int n_gqa() const { return n_head / n_head_kv; }
};

ModelShape shape_from_spec(const ModelSpec& spec);

// One weight tensor: ne0 is the contiguous (row) length, ne1 the row count
// (1 for vectors: norms and biases).
struct TensorShape {
  std::string name;  // GGUF name, e.g. "blk.3.ffn_down.weight"
  int64_t ne0 = 0;
  int64_t ne1 = 1;
  int layer = -1;  // -1 outside the repeating blocks

  int64_t n_elements() const { return ne0 * ne1; }
  bool is_matrix() const { return ne1 > 1; }
};

// Every tensor the shape implies, in file order.
std::vector<TensorShape> model_tensors(const ModelShape& shape);

// Sum of n_elements over model_tensors().
int64_t parameter_count(const ModelShape& shape);

// KV cache bytes of one sequence of `n_ctx` tokens: 2 (K and V) x layers x
// KV heads x head dim x n_ctx x bytes per element.
uint64_t kv_cache_bytes_per_sequence(const ModelShape& shape, int64_t n_ctx,
                                     double bytes_per_element);

}  // namespace cellar::plan
