#include "plan/quant_recipe.h"

#include <array>
#include <cctype>
#include <utility>

#include "plan/nearest_names.h"

namespace cellar::plan {
namespace {

using FT = FileType;
using GT = GgmlType;

constexpr std::array<std::pair<FT, const char*>, 17> kNames = {{
    {FT::F32, "F32"},       {FT::F16, "F16"},       {FT::BF16, "BF16"},     {FT::Q4_0, "Q4_0"},
    {FT::Q4_1, "Q4_1"},     {FT::Q5_0, "Q5_0"},     {FT::Q5_1, "Q5_1"},     {FT::Q8_0, "Q8_0"},
    {FT::Q2_K, "Q2_K"},     {FT::Q3_K_S, "Q3_K_S"}, {FT::Q3_K_M, "Q3_K_M"}, {FT::Q3_K_L, "Q3_K_L"},
    {FT::Q4_K_S, "Q4_K_S"}, {FT::Q4_K_M, "Q4_K_M"}, {FT::Q5_K_S, "Q5_K_S"}, {FT::Q5_K_M, "Q5_K_M"},
    {FT::Q6_K, "Q6_K"},
}};

// The type of most matrices (llama.cpp: default_type in llama_model_quantize_impl).
GT base_type(FT t) {
  switch (t) {
    case FT::F32: return GT::F32;
    case FT::F16: return GT::F16;
    case FT::BF16: return GT::BF16;
    case FT::Q4_0: return GT::Q4_0;
    case FT::Q4_1: return GT::Q4_1;
    case FT::Q5_0: return GT::Q5_0;
    case FT::Q5_1: return GT::Q5_1;
    case FT::Q8_0: return GT::Q8_0;
    case FT::Q2_K: return GT::Q2_K;
    case FT::Q3_K_S:
    case FT::Q3_K_M:
    case FT::Q3_K_L: return GT::Q3_K;
    case FT::Q4_K_S:
    case FT::Q4_K_M: return GT::Q4_K;
    case FT::Q5_K_S:
    case FT::Q5_K_M: return GT::Q5_K;
    case FT::Q6_K: return GT::Q6_K;
  }
  return GT::F16;
}

bool is_quantized(FT t) { return t != FT::F32 && t != FT::F16 && t != FT::BF16; }

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// llama.cpp's use_more_bits: the first and last eighth of the layers and
// every third layer in between get the larger type.
bool use_more_bits(int i_layer, int n_layers) {
  return i_layer < n_layers / 8 || i_layer >= 7 * n_layers / 8 || (i_layer - n_layers / 8) % 3 == 2;
}

struct QuantState {
  const ModelShape& shape;
  FT ftype;
  int n_attention_wv = 0;
  int i_attention_wv = 0;
  int n_ffn_down = 0;
  int i_ffn_down = 0;
  bool has_output() const { return !shape.tied_embeddings; }
  // llama.cpp tags 80-layer llama and qwen2 models LLM_TYPE_70B.
  bool is_70b() const { return shape.n_layer == 80 && shape.arch != "chatglm"; }
};

GT attn_v_type(QuantState& qs, GT t) {
  const FT f = qs.ftype;
  if (f == FT::Q2_K) {
    t = qs.shape.n_gqa() >= 4 ? GT::Q4_K : GT::Q3_K;
  } else if (f == FT::Q3_K_M) {
    t = qs.i_attention_wv < 2 ? GT::Q5_K : GT::Q4_K;
  } else if (f == FT::Q3_K_L) {
    t = GT::Q5_K;
  } else if ((f == FT::Q4_K_M || f == FT::Q5_K_M) &&
             use_more_bits(qs.i_attention_wv, qs.n_attention_wv)) {
    t = GT::Q6_K;
  } else if (f == FT::Q4_K_S && qs.i_attention_wv < 4) {
    t = GT::Q5_K;
  }
  if (qs.is_70b() && (t == GT::Q3_K || t == GT::Q4_K)) t = GT::Q5_K;
  ++qs.i_attention_wv;
  return t;
}

GT ffn_down_type(QuantState& qs, GT t) {
  const FT f = qs.ftype;
  const int i = qs.i_ffn_down, n = qs.n_ffn_down;
  if (f == FT::Q2_K) {
    t = GT::Q3_K;
  } else if (f == FT::Q3_K_M) {
    // Non-Falcon models: Q5_K for the first sixteenth, Q4_K elsewhere.
    t = i < n / 16 ? GT::Q5_K : GT::Q4_K;
  } else if (f == FT::Q3_K_L) {
    t = GT::Q5_K;
  } else if (f == FT::Q4_K_M) {
    if (use_more_bits(i, n)) t = GT::Q6_K;
  } else if (f == FT::Q5_K_M && use_more_bits(i, n)) {
    t = GT::Q6_K;
  } else if (f == FT::Q4_K_S && i < n / 8) {
    t = GT::Q5_K;
  }
  ++qs.i_ffn_down;
  return t;
}

GT attn_output_type(const QuantState& qs, GT t) {
  switch (qs.ftype) {
    case FT::Q2_K: return GT::Q3_K;
    case FT::Q3_K_M: return GT::Q4_K;
    case FT::Q3_K_L: return GT::Q5_K;
    default: return t;
  }
}

// A row length the chosen block size does not divide falls back the way
// llama.cpp does (e.g. Qwen2.5-0.5B's 896-wide rows cannot hold Q4_K blocks).
GT fit_block(GT t, int64_t ne0) {
  if (ne0 % ggml_type_info(t).block_size == 0) return t;
  switch (t) {
    case GT::Q2_K:
    case GT::Q3_K: t = GT::IQ4_NL; break;
    case GT::Q4_K: t = GT::Q5_0; break;
    case GT::Q5_K: t = GT::Q5_1; break;
    case GT::Q6_K: t = GT::Q8_0; break;
    default: break;
  }
  if (ne0 % ggml_type_info(t).block_size != 0) t = GT::F16;
  return t;
}

// llama_tensor_get_type for the file types above and dense (non-MoE) models.
GT tensor_type(QuantState& qs, const TensorShape& ts) {
  GT t = base_type(qs.ftype);
  const std::string& name = ts.name;
  const bool output_like =
      name == "output.weight" || (!qs.has_output() && name == "token_embd.weight");
  if (output_like) {
    const int64_t block = ggml_type_info(t).block_size;
    if (ts.ne0 % block != 0) return GT::Q8_0;
    return t == GT::Q8_0 ? t : GT::Q6_K;
  }
  if (name == "token_embd.weight") return fit_block(t, ts.ne0);
  if (contains(name, "attn_v.weight")) {
    t = attn_v_type(qs, t);
  } else if (contains(name, "ffn_down")) {
    t = ffn_down_type(qs, t);
  } else if (contains(name, "attn_output.weight")) {
    t = attn_output_type(qs, t);
  } else if (contains(name, "attn_qkv.weight")) {
    if (qs.ftype == FT::Q3_K_M || qs.ftype == FT::Q3_K_L) t = GT::Q4_K;
    if (qs.ftype == FT::Q4_K_M) t = GT::Q5_K;
    if (qs.ftype == FT::Q5_K_M) t = GT::Q6_K;
  }
  return fit_block(t, ts.ne0);
}

}  // namespace

FileType file_type_from_name(const std::string& name) {
  std::string up;
  for (char c : name) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const auto& [t, n] : kNames) {
    if (up == n) return t;
  }
  throw CatalogError(unknown_name_message("quantization", name, file_type_names(), ""));
}

std::string file_type_name(FileType t) {
  for (const auto& [ft, n] : kNames) {
    if (ft == t) return n;
  }
  return "?";
}

std::vector<std::string> file_type_names() {
  std::vector<std::string> out;
  for (const auto& [t, n] : kNames) out.emplace_back(n);
  return out;
}

std::vector<TensorPlan> plan_tensor_types(const ModelShape& shape, FileType ftype) {
  auto tensors = model_tensors(shape);
  QuantState qs{shape, ftype};
  for (const auto& t : tensors) {
    if (contains(t.name, "attn_v.weight")) ++qs.n_attention_wv;
    if (contains(t.name, "ffn_down")) ++qs.n_ffn_down;
  }
  std::vector<TensorPlan> out;
  for (const auto& t : tensors) {
    GT type = GT::F32;  // vectors (norms, biases) stay F32 in every file type
    if (t.is_matrix()) {
      type = is_quantized(ftype) ? tensor_type(qs, t) : base_type(ftype);
    }
    out.push_back({t, type, ggml_row_size(type, t.ne0) * static_cast<uint64_t>(t.ne1)});
  }
  return out;
}

uint64_t weights_bytes(const ModelShape& shape, FileType ftype) {
  uint64_t n = 0;
  for (const auto& p : plan_tensor_types(shape, ftype)) n += p.n_bytes;
  return n;
}

}  // namespace cellar::plan
