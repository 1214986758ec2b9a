#include "server/model_description.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "gguf/gguf_file.h"
#include "tokenizer/chat_template.h"

namespace cellar::server {
namespace {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot read chat template file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The tensor type holding most of the weight bytes ("Q4_0", "F32", ...).
std::string dominant_type(const GgufFile& f, uint64_t* n_params) {
  std::map<std::string, uint64_t> bytes;
  *n_params = 0;
  for (const auto& t : f.tensors()) {
    bytes[std::string(ggml_type_info(t.type).name)] += t.n_bytes;
    *n_params += static_cast<uint64_t>(t.n_elements);
  }
  std::string best;
  uint64_t most = 0;
  for (const auto& [name, b] : bytes) {
    if (b > most) most = b, best = name;
  }
  return best;
}

int header_int(const GgufFile& f, const std::string& key) {
  return static_cast<int>(f.get_int(key).value_or(0));
}

}  // namespace

ModelShape header_shape(const GgufFile& file) {
  ModelShape s;
  s.arch = file.architecture();
  s.n_ctx_train = header_int(file, s.arch + ".context_length");
  s.n_embd = header_int(file, s.arch + ".embedding_length");
  s.n_vocab = header_int(file, s.arch + ".vocab_size");
  if (s.n_vocab == 0) {
    if (auto tokens = file.get_string_array("tokenizer.ggml.tokens")) s.n_vocab = static_cast<int>(tokens->size());
  }
  for (const auto& t : file.tensors()) s.weight_bytes += t.n_bytes;
  return s;
}

ModelInfo describe_model(const ModelSpec& spec, const GgufFile& file, const ModelShape& shape,
                         const std::string& chat_template, int n_ctx, int n_slots) {
  ModelInfo info;
  info.name = spec.name;
  info.path = spec.path;
  // A registry deployment names its versions; a plain file is identified by its name.
  info.version = spec.version.empty() ? std::filesystem::path(spec.path).filename().string() : spec.version;
  info.template_version = !spec.template_version.empty() ? spec.template_version
                          : spec.chat_template_file.empty()
                              ? (file.has("tokenizer.chat_template") ? "gguf" : "builtin")
                              : std::filesystem::path(spec.chat_template_file).filename().string();
  info.arch = shape.arch;
  info.quantization = dominant_type(file, &info.n_params);
  info.chat_template = chat_template;
  info.system_prompt = spec.system_prompt;
  info.weight_bytes = shape.weight_bytes;
  info.file_bytes = file.file_size();
  info.n_ctx = n_ctx;
  info.n_ctx_train = shape.n_ctx_train;
  info.n_vocab = shape.n_vocab;
  info.n_embd = shape.n_embd;
  info.n_slots = n_slots;
  info.loaded_at = std::chrono::system_clock::now();
  auto mtime = std::filesystem::last_write_time(spec.path);
  info.modified_at = std::chrono::time_point_cast<std::chrono::system_clock::duration>(
      std::chrono::file_clock::to_sys(mtime));
  return info;
}

std::optional<std::string> chat_template_override(const ModelSpec& spec) {
  if (spec.chat_template) return spec.chat_template;
  if (!spec.chat_template_file.empty()) return read_text_file(spec.chat_template_file);
  return std::nullopt;
}

ModelInfo describe_unloaded(const ModelSpec& spec, const EngineOptions& opts) {
  auto file = GgufFile::open(spec.path);
  ModelShape shape = header_shape(*file);
  // The source the model would render with (engine/chat_prompt.h picks the same way).
  std::string chat_template = chat_template_override(spec).value_or(
      file->get_string("tokenizer.chat_template").value_or(""));
  if (chat_template.empty()) chat_template = kChatMlTemplate;
  const int n_ctx = shape.n_ctx_train > 0 ? std::min(opts.n_ctx, shape.n_ctx_train) : opts.n_ctx;
  ModelInfo info = describe_model(spec, *file, shape, chat_template, n_ctx, opts.n_slots);
  info.loaded_at = {};
  return info;
}

}  // namespace cellar::server
