#include "tokenizer/vocab.h"

#include <cstdio>

#include "tokenizer/tokenizer.h"

namespace cellar {
namespace {

uint32_t attr_of_type(int32_t type, size_t index) {
  switch (static_cast<TokenType>(type)) {
    case TokenType::kUndefined: return token_attr::kUndefined;
    case TokenType::kNormal: return token_attr::kNormal;
    case TokenType::kUnknown: return token_attr::kUnknown;
    case TokenType::kControl: return token_attr::kControl;
    case TokenType::kUserDefined: return token_attr::kUserDefined;
    case TokenType::kUnused: return token_attr::kUnused;
    case TokenType::kByte: return token_attr::kByte;
  }
  throw TokenizerError("tokenizer.ggml.token_type[" + std::to_string(index) + "] = " + std::to_string(type) +
                       " is not a token type (expected 0..6)");
}

// Text-keyed merge lookups join the halves with their length so that no
// pair of strings can collide.
std::string text_key(std::string_view left, std::string_view right) {
  std::string key = std::to_string(left.size());
  key += ':';
  key += left;
  key += right;
  return key;
}

uint64_t id_key(int32_t left, int32_t right) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}

}  // namespace

Vocab::Vocab(VocabSpec& spec) {
  const size_t n = spec.tokens.size();
  if (n == 0) throw TokenizerError("tokenizer.ggml.tokens is empty");
  if (n > static_cast<size_t>(INT32_MAX)) throw TokenizerError("tokenizer.ggml.tokens has too many entries");
  if (!spec.scores.empty() && spec.scores.size() != n) {
    throw TokenizerError("tokenizer.ggml.scores has " + std::to_string(spec.scores.size()) +
                         " entries but tokenizer.ggml.tokens has " + std::to_string(n));
  }
  if (!spec.token_types.empty() && spec.token_types.size() != n) {
    throw TokenizerError("tokenizer.ggml.token_type has " + std::to_string(spec.token_types.size()) +
                         " entries but tokenizer.ggml.tokens has " + std::to_string(n));
  }
  text_ = std::move(spec.tokens);
  spec.tokens.clear();
  score_.assign(n, 0.0f);
  attr_.assign(n, token_attr::kNormal);
  for (size_t i = 0; i < n; ++i) {
    // An empty token could never be produced or matched; llama.cpp renames it the same way.
    if (text_[i].empty()) text_[i] = "[EMPTY_" + std::to_string(i) + "]";
    if (!spec.scores.empty()) score_[i] = spec.scores[i];
    if (!spec.token_types.empty()) attr_[i] = attr_of_type(spec.token_types[i], i);
  }
  ids_.reserve(n);
  for (size_t i = 0; i < n; ++i) ids_[text_[i]] = static_cast<int32_t>(i);

  for (int b = 0; b < 256; ++b) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "<0x%02X>", b);
    int32_t id = find(hex);
    if (id < 0) id = find(std::string(1, static_cast<char>(b)));
    byte_token_[b] = id;
  }
  load_merges(spec.merges);
}

void Vocab::load_merges(const std::vector<std::string>& merges) {
  rank_by_ids_.reserve(merges.size());
  for (size_t i = 0; i < merges.size(); ++i) {
    const std::string& m = merges[i];
    // The separator is the first space after position 0: a merge may start with a space.
    const size_t pos = m.size() > 1 ? m.find(' ', 1) : std::string::npos;
    if (pos == std::string::npos || pos + 1 >= m.size()) {
      throw TokenizerError("tokenizer.ggml.merges[" + std::to_string(i) + "] = '" + m +
                           "' is not two tokens separated by a space");
    }
    const std::string_view left(m.data(), pos);
    const std::string_view right(m.data() + pos + 1, m.size() - pos - 1);
    const int32_t rank = static_cast<int32_t>(i);
    const int32_t l = find(left), r = find(right);
    if (l >= 0 && r >= 0) {
      rank_by_ids_.emplace(id_key(l, r), rank);  // first occurrence wins, as in llama.cpp
    } else {
      rank_by_text_.emplace(text_key(left, right), rank);
    }
  }
}

int32_t Vocab::find(std::string_view text) const {
  auto it = ids_.find(text);
  return it == ids_.end() ? -1 : it->second;
}

int32_t Vocab::merge_rank(std::string_view left, std::string_view right) const {
  const int32_t l = find(left), r = find(right);
  if (l >= 0 && r >= 0) {
    auto it = rank_by_ids_.find(id_key(l, r));
    return it == rank_by_ids_.end() ? -1 : it->second;
  }
  if (rank_by_text_.empty()) return -1;
  auto it = rank_by_text_.find(text_key(left, right));
  return it == rank_by_text_.end() ? -1 : it->second;
}

}  // namespace cellar
