#pragma once
// Small in-memory vocabularies for tokenizer tests: the real Llama 3 and
// Qwen2 vocabularies are too big to ship, so tests build just the tokens and
// merges that make a behaviour observable.
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/byte_level.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/vocab_spec.h"

namespace cellar::test {

// Byte-level BPE vocabulary: the 256 byte tokens, then for every word in
// `words` (plain text) the chain of merges that builds it left to right.
inline VocabSpec byte_level_spec(std::string pre, const std::vector<std::string>& words) {
  VocabSpec spec;
  spec.model = "gpt2";
  spec.pre = std::move(pre);
  for (int b = 0; b < 256; ++b) spec.tokens.push_back(byte_level_encode(std::string(1, static_cast<char>(b))));
  auto has = [&](const std::string& t) {
    for (const auto& x : spec.tokens) {
      if (x == t) return true;
    }
    return false;
  };
  for (const auto& word : words) {
    std::string prefix = byte_level_encode(word.substr(0, 1));
    for (size_t i = 1; i < word.size(); ++i) {
      const std::string next = byte_level_encode(word.substr(i, 1));
      if (!has(prefix + next)) {
        spec.merges.push_back(prefix + " " + next);
        spec.tokens.push_back(prefix + next);
      }
      prefix += next;
    }
  }
  spec.token_types.assign(spec.tokens.size(), 1);
  return spec;
}

inline int32_t add_token(VocabSpec& spec, std::string text, TokenType type, float score = 0.0f) {
  spec.tokens.push_back(std::move(text));
  if (!spec.token_types.empty()) spec.token_types.push_back(static_cast<int32_t>(type));
  if (!spec.scores.empty()) spec.scores.push_back(score);
  return static_cast<int32_t>(spec.tokens.size() - 1);
}

// SentencePiece vocabulary: <unk> <s> </s>, the 256 <0xXX> byte tokens, then
// `pieces` (spaces written as U+2581) with their scores.
inline VocabSpec spm_spec(const std::vector<std::pair<std::string, float>>& pieces) {
  VocabSpec spec;
  spec.model = "llama";
  spec.tokens = {"<unk>", "<s>", "</s>"};
  spec.token_types = {2, 3, 3};
  for (int b = 0; b < 256; ++b) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "<0x%02X>", b);
    spec.tokens.push_back(hex);
    spec.token_types.push_back(6);
  }
  spec.scores.assign(spec.tokens.size(), 0.0f);
  for (const auto& [text, score] : pieces) add_token(spec, text, TokenType::kNormal, score);
  return spec;
}

// The text of each token id, to compare a tokenization by spelling.
inline std::vector<std::string> spellings(const Tokenizer& tok, const std::vector<int32_t>& ids) {
  std::vector<std::string> out;
  for (auto id : ids) out.emplace_back(tok.token_text(id));
  return out;
}

}  // namespace cellar::test
