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
#include <cmath>
#include <limits>

#include "kernels/f16_accum.h"
#include "kernels/kernels.h"
#include "model/context.h"

namespace cellar {

void InferenceContext::attention(int il, std::span<const BatchToken> batch) {
  const HParams& hp = model_->hparams();
  const int hd = hp.head_dim, n_head = hp.n_head, gqa = hp.n_gqa();
  const int qd = n_head * hd;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  const int64_t n_items = static_cast<int64_t>(batch.size()) * n_head;

  pool_.run([&](int ith, int nth) {
    // Per-thread scratch, kept across layers and steps (the pool's threads live as long as the context).
    thread_local std::vector<uint16_t> q16;  // [head_dim] query rounded to F16
    thread_local std::vector<float> q32;     // [head_dim] the same values as F32
    thread_local std::vector<uint16_t> acc;  // [head_dim] F16 running sum of weighted values
    q16.resize(hd);
    q32.resize(hd);
    acc.resize(hd);
    for (int64_t item = ith; item < n_items; item += nth) {
      const int64_t t = item / n_head;
      const int h = static_cast<int>(item % n_head);
      const int kv_off = (h / gqa) * hd;
      kernels::fp32_to_fp16_row(q_.data() + t * qd + h * hd, q16.data(), hd);
      for (int i = 0; i < hd; ++i) q32[i] = kernels::fp16_to_fp32(q16[i]);
      const int slot = batch[t].slot, n_keys = batch[t].pos + 1;
      float m = -std::numeric_limits<float>::infinity(), s_sum = 0.f;
      std::fill(acc.begin(), acc.end(), uint16_t{0});
      for (int j = 0; j < n_keys; ++j) {
        const float s = kernels::dot_f16_f32(kv_.k(il, slot, j) + kv_off, q32.data(), hd) * scale;
        float ms = 1.f, vs = 1.f;
        if (s > m) {
          ms = std::exp(m - s);  // rescale what was accumulated under the old maximum
          m = s;
          kernels::scale_f16(acc.data(), ms, hd);
        } else {
          vs = std::exp(s - m);
        }
        kernels::mad_f16(acc.data(), kv_.v(il, slot, j) + kv_off, vs, hd);
        s_sum = s_sum * ms + vs;
      }
      float* out = att_.data() + t * qd + h * hd;
      const float inv = 1.0f / s_sum;
      for (int i = 0; i < hd; ++i) out[i] = kernels::fp16_to_fp32(acc[i]) * inv;
    }
  });
}

}  // namespace cellar
