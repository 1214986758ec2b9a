// Causal multi-head attention with grouped-query heads over the F16 KV cache,
// as an online ("flash") softmax: one pass over the keys keeping a running
// maximum M, normaliser S and weighted sum of values, so memory is O(head_dim)
// per (token, head) instead of O(n_ctx^2).
//
// The rounding follows llama.cpp's CPU flash-attention kernel
// (ggml_compute_forward_flash_attn_ext_f16): the query is rounded to F16 before
// the K dot products and the value accumulator is kept in F16. Users compare
// our logits with llama.cpp's, and the reference vectors are produced that way;
// with an F32 accumulator the logits of a 260K-parameter model already differ
// by ~1e-2.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/f16_accum.h"
#include "kernels/kernels.h"
#include "model/context.h"

namespace cellar {

namespace {

// Online-softmax bookkeeping over the scores of one (token, head), in key
// order, exactly as the one-pass loop does it: a key above the running
// maximum rescales what was summed (rescale[j] = exp(m_old - s), weight 1),
// any other key is weighted exp(s - m). Returns the softmax normaliser.
float online_softmax(const float* scores, int n_keys, float* weight, float* rescale) {
  float m = -std::numeric_limits<float>::infinity(), s_sum = 0.f;
  for (int j = 0; j < n_keys; ++j) {
    const float s = scores[j];
    if (s > m) {
      rescale[j] = std::exp(m - s);
      weight[j] = 1.f;
      m = s;
    } else {
      rescale[j] = 1.f;
      weight[j] = std::exp(s - m);
    }
    s_sum = s_sum * rescale[j] + weight[j];
  }
  return s_sum;
}

}  // namespace

void InferenceContext::attention(int il, std::span<const BatchToken> batch) {
  const HParams& hp = model_->hparams();
  const int hd = hp.head_dim, n_head = hp.n_head, gqa = hp.n_gqa(), n_kv_head = hp.n_head_kv;
  const int qd = n_head * hd, kvd = hp.n_embd_kv();
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  // One item = one token's query heads that share a key/value head, so each
  // cached row is read once for all of them.
  const int64_t n_items = static_cast<int64_t>(batch.size()) * n_kv_head;

  pool_.run([&](int ith, int nth) {
    // Per-thread scratch, kept across layers and steps (the pool's threads live as long as the context).
    thread_local std::vector<uint16_t> q16;   // [gqa][head_dim] queries rounded to F16
    thread_local std::vector<float> q32;      // [gqa][head_dim] the same values as F32
    thread_local std::vector<uint16_t> acc;   // [gqa][head_dim] F16 running sums of weighted values
    thread_local std::vector<float> scores;   // [gqa][n_keys] q.k * scale
    thread_local std::vector<float> weight;   // [gqa][n_keys]
    thread_local std::vector<float> rescale;  // [gqa][n_keys]
    thread_local std::vector<float> s_sum;    // [gqa] softmax normalisers
    const size_t group = static_cast<size_t>(gqa) * hd, keys = static_cast<size_t>(gqa) * opts_.n_ctx;
    q16.resize(group);
    q32.resize(group);
    acc.resize(group);
    scores.resize(keys);
    weight.resize(keys);
    rescale.resize(keys);
    s_sum.resize(gqa);
    for (int64_t item = ith; item < n_items; item += nth) {
      const int64_t t = item / n_kv_head;
      const int kvh = static_cast<int>(item % n_kv_head);
      const float* q = q_.data() + t * qd + static_cast<size_t>(kvh) * group;  // heads kvh*gqa .. +gqa
      kernels::fp32_to_fp16_row(q, q16.data(), static_cast<int64_t>(group));
      for (size_t i = 0; i < group; ++i) q32[i] = kernels::fp16_to_fp32(q16[i]);
      const int slot = batch[t].slot, n_keys = batch[t].pos + 1;
      const uint16_t* k0 = kv_.k(il, slot, 0) + kvh * hd;  // [n_keys][kvd]
      const uint16_t* v0 = kv_.v(il, slot, 0) + kvh * hd;  // [n_keys][kvd]
      kernels::scores_f16(gqa, q32.data(), k0, kvd, n_keys, hd, scale, scores.data());
      std::fill(acc.begin(), acc.end(), uint16_t{0});
      for (int g = 0; g < gqa; ++g) {
        s_sum[g] = online_softmax(scores.data() + g * n_keys, n_keys, weight.data() + g * n_keys,
                                  rescale.data() + g * n_keys);
      }
      kernels::weighted_sum_f16(gqa, acc.data(), v0, kvd, weight.data(), rescale.data(), n_keys, hd);
      float* out = att_.data() + t * qd + static_cast<size_t>(kvh) * group;
      for (int g = 0; g < gqa; ++g) {
        const float inv = 1.0f / s_sum[g];
        for (int i = 0; i < hd; ++i) out[g * hd + i] = kernels::fp16_to_fp32(acc[g * hd + i]) * inv;
      }
    }
  });
}

}  // namespace cellar
