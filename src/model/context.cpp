// The Llama-family forward pass, per layer:
//   h   = x + Wo · attention(rope(Wq·n1), rope(Wk·n1), Wv·n1),  n1 = rmsnorm(x) * attn_norm
//   x'  = h + Wdown · (silu(Wgate·n2) * (Wup·n2)),               n2 = rmsnorm(h) * ffn_norm
// then logits = Wout · (rmsnorm(x) * output_norm).
#include "model/context.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "kernels/kernels.h"

namespace cellar {
namespace {

std::vector<float> to_f32(const TensorView& t) {
  std::vector<float> out(static_cast<size_t>(t.rows * t.cols));
  for (int64_t r = 0; r < t.rows; ++r) {
    const auto* row = static_cast<const uint8_t*>(t.data) + r * ggml_row_size(t.type, t.cols);
    kernels::dequantize_row(t.type, row, out.data() + r * t.cols, t.cols);
  }
  return out;
}

kernels::Matrix as_matrix(const TensorView& t) { return {t.data, t.type, t.rows, t.cols, t.layout}; }

// Runs fn(row) for rows [0, n) split across the pool.
template <typename Fn>
void parallel_rows(ThreadPool& pool, int64_t n, Fn&& fn) {
  if (n == 1) {
    fn(0);
    return;
  }
  pool.run([&](int ith, int nth) {
    for (int64_t r = ith; r < n; r += nth) fn(r);
  });
}

// Attention reads one head's slice of a K/V row at a time, so a Q8_0 cache
// needs heads of whole blocks (TinyLlama, Llama, Mistral, Qwen2: 64 or 128).
KvCache make_kv_cache(const HParams& hp, const ContextOptions& opts) {
  if (opts.kv_type == GgmlType::Q8_0 && hp.head_dim % 32 != 0) {
    throw std::invalid_argument("a Q8_0 KV cache needs a head size that is a multiple of 32; this model's is " +
                                std::to_string(hp.head_dim) + " (use --kv-type f16)");
  }
  return KvCache(hp.n_layer, opts.n_slots, opts.n_ctx, hp.n_embd_kv(), opts.kv_type);
}

}  // namespace

InferenceContext::InferenceContext(std::shared_ptr<const Model> model, const ContextOptions& opts)
    : model_(std::move(model)),
      opts_(opts),
      pool_(opts.n_threads > 0 ? opts.n_threads : default_thread_count()),
      kv_(make_kv_cache(model_->hparams(), opts)),
      rope_(model_->hparams(), nullptr) {
  const HParams& hp = model_->hparams();
  const ModelWeights& w = model_->weights();
  if (opts.n_ctx < 1 || opts.n_slots < 1 || opts.max_batch < 1) {
    throw std::invalid_argument("context size, slots and batch size must be at least 1");
  }
  if (w.rope_freqs) {
    std::vector<float> factors = to_f32(w.rope_freqs);
    rope_ = RopeTable(hp, factors.data());
  }
  output_norm_ = to_f32(w.output_norm);
  for (const auto& l : w.layers) {
    attn_norm_.push_back(to_f32(l.attn_norm));
    ffn_norm_.push_back(to_f32(l.ffn_norm));
    if (hp.has_qkv_bias) {
      biases_.push_back(to_f32(l.bq));
      biases_.push_back(to_f32(l.bk));
      biases_.push_back(to_f32(l.bv));
    }
  }
  const size_t T = opts.max_batch, d = hp.n_embd, qd = size_t(hp.n_head) * hp.head_dim;
  x_.resize(T * d);
  xn_.resize(T * d);
  tmp_.resize(T * d);
  q_.resize(T * qd);
  att_.resize(T * qd);
  k_.resize(T * hp.n_embd_kv());
  v_.resize(T * hp.n_embd_kv());
  gate_.resize(T * hp.n_ff);
  up_.resize(T * hp.n_ff);
  cs_.resize(T * hp.n_rot);
}

void InferenceContext::validate(std::span<const BatchToken> batch) const {
  const int n_vocab = model_->hparams().n_vocab;
  for (const auto& b : batch) {
    if (b.token < 0 || b.token >= n_vocab) {
      throw std::invalid_argument("token id " + std::to_string(b.token) + " is outside the vocabulary (0.." +
                                  std::to_string(n_vocab - 1) + ")");
    }
    if (b.slot < 0 || b.slot >= opts_.n_slots) throw std::invalid_argument("slot out of range");
    if (b.pos < 0 || b.pos >= opts_.n_ctx) {
      throw std::invalid_argument("position " + std::to_string(b.pos) + " is beyond the context size " +
                                  std::to_string(opts_.n_ctx));
    }
  }
}

std::span<const float> InferenceContext::forward(std::span<const BatchToken> batch) {
  validate(batch);
  out_.clear();
  for (size_t i = 0; i < batch.size(); i += opts_.max_batch) {
    auto mb = batch.subspan(i, std::min<size_t>(opts_.max_batch, batch.size() - i));
    run_micro_batch(mb);
    finish_rows(mb, false, out_);
  }
  return out_;
}

std::span<const float> InferenceContext::forward_hidden(std::span<const BatchToken> batch) {
  validate(batch);
  out_.clear();
  for (size_t i = 0; i < batch.size(); i += opts_.max_batch) {
    auto mb = batch.subspan(i, std::min<size_t>(opts_.max_batch, batch.size() - i));
    run_micro_batch(mb);
    finish_rows(mb, true, out_);
  }
  return out_;
}

void InferenceContext::run_micro_batch(std::span<const BatchToken> batch) {
  const HParams& hp = model_->hparams();
  const TensorView& emb = model_->weights().tok_embd;
  const size_t row_bytes = ggml_row_size(emb.type, emb.cols);
  parallel_rows(pool_, static_cast<int64_t>(batch.size()), [&](int64_t t) {
    const auto* row = static_cast<const uint8_t*>(emb.data) + static_cast<size_t>(batch[t].token) * row_bytes;
    kernels::dequantize_row(emb.type, row, x_.data() + t * hp.n_embd, hp.n_embd);
    rope_.fill(batch[t].pos, cs_.data() + t * hp.n_rot);
  });
  for (int il = 0; il < hp.n_layer; ++il) run_layer(il, batch);
}

void InferenceContext::store_kv_row(const float* x, uint8_t* dst, int64_t n) const {
  if (kv_.type() == GgmlType::Q8_0) {
    kernels::quantize_row(GgmlType::Q8_0, x, dst, n);
  } else {
    kernels::fp32_to_fp16_row(x, reinterpret_cast<uint16_t*>(dst), n);
  }
}

void InferenceContext::run_layer(int il, std::span<const BatchToken> batch) {
  const HParams& hp = model_->hparams();
  const LayerWeights& lw = model_->weights().layers[il];
  const int64_t T = static_cast<int64_t>(batch.size());
  const int d = hp.n_embd, qd = hp.n_head * hp.head_dim, kvd = hp.n_embd_kv();

  parallel_rows(pool_, T, [&](int64_t t) {
    rmsnorm(x_.data() + t * d, attn_norm_[il].data(), xn_.data() + t * d, d, hp.rms_eps);
  });
  // Q, K and V share their input: quantized once, computed in one parallel region.
  const kernels::Matrix qkv[] = {as_matrix(lw.wq), as_matrix(lw.wk), as_matrix(lw.wv)};
  float* const qkv_out[] = {q_.data(), k_.data(), v_.data()};
  kernels::matmul_multi(qkv, xn_.data(), T, qkv_out, pool_);
  parallel_rows(pool_, T, [&](int64_t t) {
    float* q = q_.data() + t * qd;
    float* k = k_.data() + t * kvd;
    float* v = v_.data() + t * kvd;
    if (hp.has_qkv_bias) {
      const float* bq = biases_[3 * il].data();
      const float* bk = biases_[3 * il + 1].data();
      const float* bv = biases_[3 * il + 2].data();
      for (int i = 0; i < qd; ++i) q[i] += bq[i];
      for (int i = 0; i < kvd; ++i) k[i] += bk[i];
      for (int i = 0; i < kvd; ++i) v[i] += bv[i];
    }
    rope_.apply(q, hp.n_head, cs_.data() + t * hp.n_rot);
    rope_.apply(k, hp.n_head_kv, cs_.data() + t * hp.n_rot);
    store_kv_row(k, kv_.k(il, batch[t].slot, batch[t].pos), kvd);
    store_kv_row(v, kv_.v(il, batch[t].slot, batch[t].pos), kvd);
  });
  attention(il, batch);
  kernels::matmul(as_matrix(lw.wo), att_.data(), T, tmp_.data(), pool_);
  parallel_rows(pool_, T, [&](int64_t t) {
    float* x = x_.data() + t * d;
    const float* o = tmp_.data() + t * d;
    for (int i = 0; i < d; ++i) x[i] += o[i];
    rmsnorm(x, ffn_norm_[il].data(), xn_.data() + t * d, d, hp.rms_eps);
  });
  const kernels::Matrix gate_up[] = {as_matrix(lw.w_gate), as_matrix(lw.w_up)};
  float* const gate_up_out[] = {gate_.data(), up_.data()};
  kernels::matmul_multi(gate_up, xn_.data(), T, gate_up_out, pool_);
  parallel_rows(pool_, T, [&](int64_t t) {
    swiglu(gate_.data() + t * hp.n_ff, up_.data() + t * hp.n_ff, gate_.data() + t * hp.n_ff, hp.n_ff);
  });
  kernels::matmul(as_matrix(lw.w_down), gate_.data(), T, tmp_.data(), pool_);
  parallel_rows(pool_, T, [&](int64_t t) {
    float* x = x_.data() + t * d;
    const float* o = tmp_.data() + t * d;
    for (int i = 0; i < d; ++i) x[i] += o[i];
  });
}

void InferenceContext::finish_rows(std::span<const BatchToken> batch, bool all_rows, std::vector<float>& out) {
  const HParams& hp = model_->hparams();
  const int d = hp.n_embd;
  rows_.clear();
  for (size_t t = 0; t < batch.size(); ++t) {
    if (!all_rows && !batch[t].want_logits) continue;
    size_t at = rows_.size();
    rows_.resize(at + d);
    rmsnorm(x_.data() + t * d, output_norm_.data(), rows_.data() + at, d, hp.rms_eps);
  }
  const int64_t n_out = static_cast<int64_t>(rows_.size() / d);
  if (n_out == 0) return;
  if (all_rows) {
    out.insert(out.end(), rows_.begin(), rows_.end());
    return;
  }
  size_t at = out.size();
  out.resize(at + static_cast<size_t>(n_out) * hp.n_vocab);
  kernels::matmul(as_matrix(model_->weights().output), rows_.data(), n_out, out.data() + at, pool_);
}

}  // namespace cellar
