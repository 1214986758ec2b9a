#include "plan/gguf_model.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "gguf/gguf_file.h"
#include "plan/model_shape.h"

namespace cellar::plan {
namespace {

int require_int(const GgufFile& f, const std::string& path, const std::string& key) {
  auto v = f.get_int(key);
  if (!v) throw CatalogError(path + ": metadata '" + key + "' is missing; cannot size the model");
  if (*v < 1 || *v > (int64_t{1} << 31)) {
    throw CatalogError(path + ": metadata '" + key + "' = " + std::to_string(*v) + " is out of range");
  }
  return static_cast<int>(*v);
}

int vocab_size(const GgufFile& f, const std::string& path) {
  if (auto tokens = f.get_string_array("tokenizer.ggml.tokens")) {
    return static_cast<int>(tokens->size());
  }
  if (const auto* t = f.find_tensor("token_embd.weight"); t && t->dims.size() >= 2) {
    return static_cast<int>(t->dims[1]);
  }
  throw CatalogError(path + ": neither tokenizer.ggml.tokens nor token_embd.weight gives the vocabulary size");
}

// "Q4_K 71%, Q6_K 20%, F32 ...": the file's types by share of the bytes.
std::string describe_types(const GgufFile& f, uint64_t total) {
  std::map<std::string, uint64_t> by_type;
  for (const auto& t : f.tensors()) by_type[std::string(ggml_type_info(t.type).name)] += t.n_bytes;
  std::vector<std::pair<uint64_t, std::string>> sorted;
  for (const auto& [name, bytes] : by_type) sorted.emplace_back(bytes, name);
  std::sort(sorted.rbegin(), sorted.rend());
  std::string out;
  for (const auto& [bytes, name] : sorted) {
    const double share = total ? 100.0 * static_cast<double>(bytes) / static_cast<double>(total) : 0;
    if (share < 0.5 && !out.empty()) continue;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%s %.0f%%", out.empty() ? "" : ", ", name.c_str(), share);
    out += buf;
  }
  return out;
}

const ModelSpec* same_shape(const Catalog& c, const ModelShape& s) {
  for (const auto& m : c.models) {
    if (m.n_layer == s.n_layer && m.n_embd == s.n_embd && m.n_head == s.n_head &&
        m.n_head_kv == s.n_head_kv && m.n_ff == s.n_ff && m.n_vocab == s.n_vocab) {
      return &m;
    }
  }
  return nullptr;
}

}  // namespace

ModelInput model_from_gguf(const std::string& path, const Catalog& catalog) {
  auto file = GgufFile::open(path);
  const std::string arch = file->architecture();
  ModelShape s;
  s.name = file->get_string("general.name").value_or(path);
  s.arch = (arch == "qwen2" || arch == "chatglm") ? arch : "llama";
  s.n_layer = require_int(*file, path, arch + ".block_count");
  s.n_embd = require_int(*file, path, arch + ".embedding_length");
  s.n_head = require_int(*file, path, arch + ".attention.head_count");
  s.n_head_kv = file->has(arch + ".attention.head_count_kv")
                    ? require_int(*file, path, arch + ".attention.head_count_kv")
                    : s.n_head;
  s.head_dim = file->has(arch + ".attention.key_length")
                   ? require_int(*file, path, arch + ".attention.key_length")
                   : s.n_embd / s.n_head;
  s.n_ff = require_int(*file, path, arch + ".feed_forward_length");
  s.n_ctx_train = require_int(*file, path, arch + ".context_length");
  s.n_vocab = vocab_size(*file, path);
  s.tied_embeddings = file->find_tensor("output.weight") == nullptr;
  s.qkv_bias = file->find_tensor("blk.0.attn_q.bias") != nullptr ||
               file->find_tensor("blk.0.attn_qkv.bias") != nullptr;
  if (s.n_head % s.n_head_kv != 0) {
    throw CatalogError(path + ": head_count " + std::to_string(s.n_head) +
                       " is not a multiple of head_count_kv " + std::to_string(s.n_head_kv));
  }

  ModelInput m;
  m.shape = s;
  for (const auto& t : file->tensors()) {
    m.weights_bytes += t.n_bytes;
    m.parameters += t.n_elements;
  }
  m.quant = describe_types(*file, m.weights_bytes);
  m.origin = path;
  m.licence = file->get_string("general.license").value_or("");
  if (const auto* spec = same_shape(catalog, s)) {
    m.cloud_equivalent = spec->cloud_equivalent;
    if (m.licence.empty()) m.licence = spec->licence + " (shape matches " + spec->name + ")";
  }
  return m;
}

}  // namespace cellar::plan
