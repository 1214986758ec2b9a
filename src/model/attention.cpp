// Causal multi-head attention with grouped-query heads over the KV cache,
// as an online ("flash") softmax: one pass over the keys keeping a running
// maximum M, normaliser S and weighted sum of values, so memory is O(head_dim)
// per (token, head) instead of O(n_ctx^2).
//
// The rounding follows llama.cpp's CPU flash-attention kernel
// (ggml_compute_forward_flash_attn_ext_f16): the query is rounded to F16 before
// the K dot products and the value accumulator is kept in F16. Users compare
// our logits with llama.cpp's, and the reference vectors are produced that way;
// with an F32 accumulator the logits of a 260K-parameter model already differ
// by ~1e-2. A Q8_0 cache follows the same kernel's q8_0 branch: the query is
// quantized to Q8_0 and the value sum is F32.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/f16_accum.h"
#include "kernels/kernels.h"
#include "kernels/kv_q8.h"
#include "model/context.h"

namespace cellar {

namespace {

// One key of the one-pass loop: the running maximum m becomes M_j.
inline void softmax_step(float s, float& m, float& weight_diff, float& rescale_diff) {
  const float mj = s > m ? s : m;
  rescale_diff = m - mj;
  weight_diff = s - mj;
  m = mj;
}

// Online-softmax bookkeeping over the scores of one (token, head), with the
// results of the one-pass loop: a key above the running maximum rescales
// what was summed (rescale[j] = exp(m_old - s), weight 1), any other key is
// weighted exp(s - m). Both are exp of a difference from the running maxima
// M_j, so they are computed as rescale[j] = exp(M_{j-1} - M_j) and
// weight[j] = exp(s_j - M_j) with the vector exp (exactly 1 for a 0
// difference). Blocks of keys that do not raise the maximum (most of them)
// skip the serial scan. Returns the softmax normaliser in closed form,
// sum_j exp(s_j - M_last), which is what the loop's S = S * rescale + weight
// adds up to; `scores` is used as scratch for it.
float online_softmax(float* scores, int n_keys, float* weight, float* rescale) {
  constexpr int kBlock = 8;
  float m = -std::numeric_limits<float>::infinity();
  int j = 0;
  for (; j + kBlock <= n_keys; j += kBlock) {
    const float* s = scores + j;
    float block_max = s[0];
    for (int k = 1; k < kBlock; ++k) block_max = s[k] > block_max ? s[k] : block_max;
    if (block_max <= m) {
      for (int k = 0; k < kBlock; ++k) {
        rescale[j + k] = 0.f;
        weight[j + k] = s[k] - m;
      }
    } else {
      for (int k = 0; k < kBlock; ++k) softmax_step(s[k], m, weight[j + k], rescale[j + k]);
    }
  }
  for (; j < n_keys; ++j) softmax_step(scores[j], m, weight[j], rescale[j]);
  kernels::exp_f32(rescale, rescale, n_keys);
  kernels::exp_f32(weight, weight, n_keys);
  for (int i = 0; i < n_keys; ++i) scores[i] -= m;
  kernels::exp_f32(scores, scores, n_keys);
  float part[kBlock] = {};  // independent partial sums: no serial add chain
  int i = 0;
  for (; i + kBlock <= n_keys; i += kBlock) {
    for (int k = 0; k < kBlock; ++k) part[k] += scores[i + k];
  }
  for (; i < n_keys; ++i) part[0] += scores[i];
  float s_sum = 0.f;
  for (float p : part) s_sum += p;
  return s_sum;
}

// One item: the query heads of one token that share a key/value head, over
// that token's keys (n_keys rows of the slot, kv_stride bytes apart).
struct HeadGroup {
  const float* q;      // [gqa][head_dim]
  const uint8_t* k0;   // [n_keys][kv_stride] bytes; this head's slice first
  const uint8_t* v0;   // [n_keys][kv_stride]
  int64_t kv_stride;
  int n_keys, gqa, hd;
  float scale;
  float* out;          // [gqa][head_dim] softmax-weighted values
};

// Per-thread scratch, kept across layers and steps (the pool's threads live
// as long as the context).
struct AttentionScratch {
  std::vector<uint16_t> q16;           // [gqa][head_dim] queries rounded to F16
  std::vector<float> q32;              // [gqa][head_dim] the same values as F32
  std::vector<kernels::BlockQ8_0> q8;  // [gqa][head_dim/32] queries as Q8_0
  std::vector<uint16_t> acc16;         // [gqa][head_dim] F16 running sums of weighted values
  std::vector<float> acc32;            // [gqa][head_dim] F32 running sums (Q8_0 cache)
  std::vector<float> scores;           // [gqa][n_keys] q.k * scale
  std::vector<float> weight;           // [gqa][n_keys]
  std::vector<float> rescale;          // [gqa][n_keys]
  std::vector<float> s_sum;            // [gqa] softmax normalisers

  void resize(int gqa, int hd, int n_ctx) {
    const size_t group = static_cast<size_t>(gqa) * hd, keys = static_cast<size_t>(gqa) * n_ctx;
    q16.resize(group);
    q32.resize(group);
    q8.resize(group / kernels::kQK);
    acc16.resize(group);
    acc32.resize(group);
    scores.resize(keys);
    weight.resize(keys);
    rescale.resize(keys);
    s_sum.resize(gqa);
  }

  void softmax_weights(const HeadGroup& g) {
    for (int h = 0; h < g.gqa; ++h) {
      s_sum[h] = online_softmax(scores.data() + h * g.n_keys, g.n_keys, weight.data() + h * g.n_keys,
                                rescale.data() + h * g.n_keys);
    }
  }
};

// F16 cache, llama.cpp's rounding: F16 query, F16 running sum.
void attend_f16(const HeadGroup& g, AttentionScratch& sc) {
  const size_t group = static_cast<size_t>(g.gqa) * g.hd;
  const int64_t stride = g.kv_stride / 2;
  kernels::fp32_to_fp16_row(g.q, sc.q16.data(), static_cast<int64_t>(group));
  for (size_t i = 0; i < group; ++i) sc.q32[i] = kernels::fp16_to_fp32(sc.q16[i]);
  kernels::scores_f16(g.gqa, sc.q32.data(), reinterpret_cast<const uint16_t*>(g.k0), stride, g.n_keys, g.hd, g.scale,
                      sc.scores.data());
  sc.softmax_weights(g);
  std::fill(sc.acc16.begin(), sc.acc16.end(), uint16_t{0});
  kernels::weighted_sum_f16(g.gqa, sc.acc16.data(), reinterpret_cast<const uint16_t*>(g.v0), stride,
                            sc.weight.data(), sc.rescale.data(), g.n_keys, g.hd);
  for (int h = 0; h < g.gqa; ++h) {
    const float inv = 1.0f / sc.s_sum[h];
    for (int i = 0; i < g.hd; ++i) g.out[h * g.hd + i] = kernels::fp16_to_fp32(sc.acc16[h * g.hd + i]) * inv;
  }
}

// Q8_0 cache, llama.cpp's rounding: Q8_0 query, F32 running sum.
void attend_q8_0(const HeadGroup& g, AttentionScratch& sc) {
  for (int h = 0; h < g.gqa; ++h) {
    kernels::quantize_row(GgmlType::Q8_0, g.q + h * g.hd, sc.q8.data() + h * (g.hd / kernels::kQK), g.hd);
  }
  kernels::scores_q8_0(g.gqa, sc.q8.data(), g.k0, g.kv_stride, g.n_keys, g.hd, g.scale, sc.scores.data());
  sc.softmax_weights(g);
  std::fill(sc.acc32.begin(), sc.acc32.end(), 0.0f);
  kernels::weighted_sum_q8_0(g.gqa, sc.acc32.data(), g.v0, g.kv_stride, sc.weight.data(), sc.rescale.data(),
                             g.n_keys, g.hd);
  for (int h = 0; h < g.gqa; ++h) {
    const float inv = 1.0f / sc.s_sum[h];
    for (int i = 0; i < g.hd; ++i) g.out[h * g.hd + i] = sc.acc32[h * g.hd + i] * inv;
  }
}

}  // namespace

void InferenceContext::attention(int il, std::span<const BatchToken> batch) {
  const HParams& hp = model_->hparams();
  const int hd = hp.head_dim, n_head = hp.n_head, gqa = hp.n_gqa(), n_kv_head = hp.n_head_kv;
  const int qd = n_head * hd;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  // Byte offset of one kv head's slice in a K/V row.
  const size_t head_bytes = ggml_row_size(kv_.type(), hd);
  const bool q8 = kv_.type() == GgmlType::Q8_0;
  // One item = one token's query heads that share a key/value head, so each
  // cached row is read once for all of them.
  const int64_t n_items = static_cast<int64_t>(batch.size()) * n_kv_head;

  pool_.run([&](int ith, int nth) {
    thread_local AttentionScratch scratch;
    scratch.resize(gqa, hd, opts_.n_ctx);
    for (int64_t item = ith; item < n_items; item += nth) {
      const int64_t t = item / n_kv_head;
      const int kvh = static_cast<int>(item % n_kv_head);
      const size_t group = static_cast<size_t>(kvh) * gqa * hd;  // heads kvh*gqa .. +gqa
      const int slot = batch[t].slot;
      const HeadGroup g{q_.data() + t * qd + group,
                        kv_.k(il, slot, 0) + kvh * head_bytes,
                        kv_.v(il, slot, 0) + kvh * head_bytes,
                        static_cast<int64_t>(kv_.row_bytes()),
                        batch[t].pos + 1,
                        gqa,
                        hd,
                        scale,
                        att_.data() + t * qd + group};
      if (q8) {
        attend_q8_0(g, scratch);
      } else {
        attend_f16(g, scratch);
      }
    }
  });
}

}  // namespace cellar
