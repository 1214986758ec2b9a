#include "model/synth.h"

#include <cmath>
#include <cstring>
#include <memory>

#include "gguf/gguf_writer.h"
#include "kernels/kernels.h"
#include "model/synth_vocab.h"
#include "util/thread_pool.h"

namespace cellar {
namespace {

// splitmix64: a fast, well-mixed generator; each row gets its own stream so
// threads can fill rows in any order and the file is still reproducible.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Approximately N(0, std^2): sum of four uniforms, rescaled.
void random_row(uint64_t seed, float std, float* out, int64_t n) {
  uint64_t s = mix(seed);
  const float scale = std * std::sqrt(3.0f);  // var of sum of 4 U(-1,1) is 4/3
  for (int64_t i = 0; i < n; ++i) {
    float acc = 0;
    for (int k = 0; k < 4; ++k) {
      s = mix(s);
      acc += static_cast<float>(s >> 40) * (2.0f / 16777216.0f) - 1.0f;
    }
    out[i] = acc * 0.5f * scale;
  }
}

struct TensorPlan {
  std::string name;
  int64_t cols, rows;
  float value_std;  // 0 => constant `fill`
  float fill;
};

std::vector<TensorPlan> plan_tensors(const ModelShape& s) {
  const int64_t d = s.n_embd, hd = s.n_embd / s.n_head, kv = int64_t(s.n_head_kv) * hd;
  std::vector<TensorPlan> t = {{"token_embd.weight", d, s.n_vocab, 0.02f, 0}, {"output_norm.weight", d, 1, 0, 1}};
  if (!s.tied_embeddings) t.push_back({"output.weight", d, s.n_vocab, 0.02f, 0});
  for (int il = 0; il < s.n_layer; ++il) {
    const std::string p = "blk." + std::to_string(il) + ".";
    t.push_back({p + "attn_norm.weight", d, 1, 0, 1});
    t.push_back({p + "attn_q.weight", d, d, 0.02f, 0});
    t.push_back({p + "attn_k.weight", d, kv, 0.02f, 0});
    t.push_back({p + "attn_v.weight", d, kv, 0.02f, 0});
    if (s.arch == "qwen2") {
      t.push_back({p + "attn_q.bias", d, 1, 0.02f, 0});
      t.push_back({p + "attn_k.bias", kv, 1, 0.02f, 0});
      t.push_back({p + "attn_v.bias", kv, 1, 0.02f, 0});
    }
    t.push_back({p + "attn_output.weight", d, d, 0.02f, 0});
    t.push_back({p + "ffn_norm.weight", d, 1, 0, 1});
    t.push_back({p + "ffn_gate.weight", d, s.n_ff, 0.02f, 0});
    t.push_back({p + "ffn_up.weight", d, s.n_ff, 0.02f, 0});
    t.push_back({p + "ffn_down.weight", s.n_ff, d, 0.02f, 0});
  }
  return t;
}

void write_metadata(GgufWriter& w, const SynthOptions& o) {
  const ModelShape& s = o.shape;
  const std::string a(s.arch);
  w.set_string("general.architecture", a);
  w.set_string("general.name", "cellar-synth-" + std::string(s.name));
  w.set_string("general.description", "random weights: output is meaningless (made by cellar synth)");
  w.set_u32("general.file_type", o.file_type.llama_ftype);
  w.set_u32(a + ".context_length", s.n_ctx);
  w.set_u32(a + ".embedding_length", s.n_embd);
  w.set_u32(a + ".block_count", s.n_layer);
  w.set_u32(a + ".feed_forward_length", s.n_ff);
  w.set_u32(a + ".attention.head_count", s.n_head);
  w.set_u32(a + ".attention.head_count_kv", s.n_head_kv);
  w.set_u32(a + ".rope.dimension_count", s.n_embd / s.n_head);
  w.set_f32(a + ".rope.freq_base", s.rope_base);
  w.set_f32(a + ".attention.layer_norm_rms_epsilon", s.rms_eps);
  const std::string pre = s.arch == "qwen2" ? "qwen2" : "llama-bpe";
  SynthVocab v = make_synth_vocab(std::string(s.tokenizer), pre, s.n_vocab);
  w.set_string("tokenizer.ggml.model", v.model);
  w.set_string("tokenizer.ggml.pre", v.pre);
  w.set_string_array("tokenizer.ggml.tokens", v.tokens);
  w.set_i32_array("tokenizer.ggml.token_type", v.types);
  if (v.model == "llama") w.set_f32_array("tokenizer.ggml.scores", v.scores);
  if (!v.merges.empty()) w.set_string_array("tokenizer.ggml.merges", v.merges);
  if (v.bos >= 0) w.set_u32("tokenizer.ggml.bos_token_id", static_cast<uint32_t>(v.bos));
  if (v.eos >= 0) w.set_u32("tokenizer.ggml.eos_token_id", static_cast<uint32_t>(v.eos));
  if (v.eot >= 0) w.set_u32("tokenizer.ggml.eot_token_id", static_cast<uint32_t>(v.eot));
  w.set_bool("tokenizer.ggml.add_bos_token", s.arch != "qwen2");
  w.set_string("tokenizer.chat_template", v.chat_template);
}

}  // namespace

void write_synth_model(const SynthOptions& o, const std::string& path) {
  GgufWriter w;
  write_metadata(w, o);
  auto pool = std::make_shared<ThreadPool>(o.n_threads > 0 ? o.n_threads : default_thread_count());
  uint64_t tensor_seed = o.seed * 1000003ull;
  for (const TensorPlan& tp : plan_tensors(o.shape)) {
    const bool vec = tp.rows == 1;
    const RecipeModel rm{o.shape.n_layer, o.shape.n_head / o.shape.n_head_kv, o.shape.tied_embeddings};
    const GgmlType type = vec ? GgmlType::F32 : tensor_type_for(o.file_type, tp.name, rm, tp.cols);
    std::vector<int64_t> dims = vec ? std::vector<int64_t>{tp.cols} : std::vector<int64_t>{tp.cols, tp.rows};
    const uint64_t seed = ++tensor_seed;
    w.add_tensor(tp.name, type, dims, [tp, type, seed, pool](uint8_t* dst, size_t) {
      const size_t row_bytes = ggml_row_size(type, tp.cols);
      pool->run([&](int ith, int nth) {
        std::vector<float> row(static_cast<size_t>(tp.cols));  // [cols]
        for (int64_t r = ith; r < tp.rows; r += nth) {
          if (tp.value_std > 0) {
            random_row(seed * 0x100000001b3ull + static_cast<uint64_t>(r), tp.value_std, row.data(), tp.cols);
          } else {
            std::fill(row.begin(), row.end(), tp.fill);
          }
          kernels::quantize_row(type, row.data(), dst + r * row_bytes, tp.cols);
        }
      });
    });
  }
  w.write(path);
}

}  // namespace cellar
