// Tokenizer::from_gguf: the `tokenizer.ggml.*` keys of a GGUF file
// (spec: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md#tokenizer).
#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"

namespace cellar {
namespace {

std::vector<std::string> strings(const GgufFile& file, std::string_view key) {
  std::vector<std::string> out;
  if (auto arr = file.get_string_array(key)) out.assign(arr->begin(), arr->end());
  return out;
}

VocabSpec read_spec(const GgufFile& file) {
  VocabSpec spec;
  auto model = file.get_string("tokenizer.ggml.model");
  if (!model) throw TokenizerError("no tokenizer in this GGUF file (metadata 'tokenizer.ggml.model' is missing)");
  spec.model = *model;
  spec.pre = file.get_string("tokenizer.ggml.pre").value_or("");
  spec.name = file.get_string("general.name").value_or("");
  spec.tokens = strings(file, "tokenizer.ggml.tokens");
  if (spec.tokens.empty()) throw TokenizerError("metadata 'tokenizer.ggml.tokens' is missing or empty");
  if (auto scores = file.get_float_array("tokenizer.ggml.scores")) spec.scores = std::move(*scores);
  if (auto types = file.get_int_array("tokenizer.ggml.token_type")) {
    spec.token_types.reserve(types->size());
    for (size_t i = 0; i < types->size(); ++i) {
      const int64_t t = (*types)[i];
      if (t < INT32_MIN || t > INT32_MAX) {
        throw TokenizerError("tokenizer.ggml.token_type[" + std::to_string(i) + "] = " + std::to_string(t) +
                             " is not a token type");
      }
      spec.token_types.push_back(static_cast<int32_t>(t));
    }
  }
  if (spec.model == "gpt2" && !file.has("tokenizer.ggml.merges")) {
    throw TokenizerError("metadata 'tokenizer.ggml.merges' is missing; a gpt2 tokenizer needs its BPE merges");
  }
  spec.merges = strings(file, "tokenizer.ggml.merges");
  spec.bos_id = file.get_int("tokenizer.ggml.bos_token_id");
  spec.eos_id = file.get_int("tokenizer.ggml.eos_token_id");
  spec.eot_id = file.get_int("tokenizer.ggml.eot_token_id");
  spec.eom_id = file.get_int("tokenizer.ggml.eom_token_id");
  spec.unk_id = file.get_int("tokenizer.ggml.unknown_token_id");
  spec.pad_id = file.get_int("tokenizer.ggml.padding_token_id");
  spec.add_bos = file.get_bool("tokenizer.ggml.add_bos_token");
  spec.add_eos = file.get_bool("tokenizer.ggml.add_eos_token");
  spec.add_space_prefix = file.get_bool("tokenizer.ggml.add_space_prefix");
  return spec;
}

}  // namespace

std::unique_ptr<Tokenizer> Tokenizer::from_gguf(const GgufFile& file) {
  VocabSpec spec;
  try {
    spec = read_spec(file);
  } catch (const GgufError& e) {
    throw TokenizerError(std::string("bad tokenizer metadata: ") + e.what());
  }
  return from_vocab(std::move(spec));
}

}  // namespace cellar
