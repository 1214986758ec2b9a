#pragma once
// Everything a Tokenizer is built from: the `tokenizer.ggml.*` metadata of a
// GGUF file, or vocabularies that tests and tools construct in memory.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cellar {

// GGUF `tokenizer.ggml.token_type` values (llama.cpp's llama_token_type).
enum class TokenType : int32_t {
  kUndefined = 0,
  kNormal = 1,
  kUnknown = 2,
  kControl = 3,
  kUserDefined = 4,
  kUnused = 5,
  kByte = 6,
};

struct VocabSpec {
  std::string model;  // tokenizer.ggml.model: "llama" (SentencePiece BPE) or "gpt2" (byte-level BPE)
  std::string pre;    // tokenizer.ggml.pre; empty means "default"
  std::string name;   // general.name; a few per-model quirks key off it (Phi-3)
  std::vector<std::string> tokens;
  std::vector<float> scores;         // empty, or one per token (llama: higher merges first)
  std::vector<int32_t> token_types;  // empty (all normal), or one TokenType per token
  std::vector<std::string> merges;   // gpt2: "left right", highest priority first
  std::optional<int64_t> bos_id, eos_id, eot_id, eom_id, unk_id, pad_id;
  std::optional<bool> add_bos, add_eos, add_space_prefix;
};

}  // namespace cellar
