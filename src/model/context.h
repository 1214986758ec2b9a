#pragma once
// An inference context: KV cache, scratch buffers and threads for running the
// forward pass of one Model over batches of tokens. A batch may mix tokens of
// several sequence slots (continuous batching) and many positions of one slot
// (prompt prefill); weights are read once per batch either way.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model/kv_cache.h"
#include "model/layer_math.h"
#include "model/model.h"
#include "util/thread_pool.h"

namespace cellar {

struct BatchToken {
  int32_t token = 0;
  int32_t slot = 0;
  int32_t pos = 0;
  bool want_logits = false;
};

struct ContextOptions {
  int n_ctx = 2048;     // positions per slot
  int n_slots = 1;
  int n_threads = 0;    // 0 = physical cores
  int max_batch = 256;  // tokens per internal micro-batch
  GgmlType kv_type = GgmlType::F16;  // F16 or Q8_0 (needs head_dim % 32 == 0)
};

class InferenceContext {
 public:
  InferenceContext(std::shared_ptr<const Model> model, const ContextOptions& opts);

  // Runs the batch (every token's K/V is stored in its slot at its position) and
  // returns the logits of the tokens with want_logits, in batch order:
  // [n_wanted][n_vocab]. Positions of a slot must be written in order: a token
  // attends to positions 0..pos of its slot. Throws std::invalid_argument on
  // out-of-range token ids, slots or positions.
  std::span<const float> forward(std::span<const BatchToken> batch);
  // Same pass, returning the final normalised hidden state of EVERY token:
  // [batch.size()][n_embd] (embeddings).
  std::span<const float> forward_hidden(std::span<const BatchToken> batch);

  const Model& model() const { return *model_; }
  const ContextOptions& options() const { return opts_; }
  ThreadPool& pool() { return pool_; }
  uint64_t kv_bytes() const { return kv_.bytes(); }

 private:
  void validate(std::span<const BatchToken> batch) const;
  void run_micro_batch(std::span<const BatchToken> batch);
  void run_layer(int il, std::span<const BatchToken> batch);
  void attention(int il, std::span<const BatchToken> batch);
  void store_kv_row(const float* x, uint8_t* dst, int64_t n) const;
  void finish_rows(std::span<const BatchToken> batch, bool all_rows, std::vector<float>& out);

  std::shared_ptr<const Model> model_;
  ContextOptions opts_;
  ThreadPool pool_;
  KvCache kv_;
  RopeTable rope_;
  std::vector<float> output_norm_;             // [n_embd]
  std::vector<std::vector<float>> attn_norm_;  // [n_layer][n_embd]
  std::vector<std::vector<float>> ffn_norm_;   // [n_layer][n_embd]
  std::vector<std::vector<float>> biases_;     // [n_layer*3][n_out] q, k, v (qwen2)

  // Scratch for one micro-batch of T <= max_batch tokens.
  std::vector<float> x_;     // [T][n_embd] residual stream
  std::vector<float> xn_;    // [T][n_embd] normalised input of a sub-layer
  std::vector<float> q_;     // [T][n_head*head_dim]
  std::vector<float> k_;     // [T][n_embd_kv]
  std::vector<float> v_;     // [T][n_embd_kv]
  std::vector<float> att_;   // [T][n_head*head_dim]
  std::vector<float> tmp_;   // [T][n_embd]
  std::vector<float> gate_;  // [T][n_ff]
  std::vector<float> up_;    // [T][n_ff]
  std::vector<float> cs_;    // [T][n_rot] rope (cos, sin) pairs
  std::vector<float> rows_;  // [n_out][n_embd] rows sent to the output head
  std::vector<float> out_;   // [n_out][n_vocab] or [T][n_embd]
};

}  // namespace cellar
