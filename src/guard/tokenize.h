#pragma once
// Splits normalised text (normalize.h) into match tokens: ASCII words with
// leetspeak undone ("1gn0r3" -> "ignore"), one token per CJK character (Chinese
// has no spaces, so lexicon phrases are character sequences), and sentence
// numbers so that proximity rules never pair words across sentences.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cellar::guard {

struct Token {
  std::string_view text;  // points into the owning TokenList's arena
  uint32_t sentence = 0;
  bool leet = false;    // digits/symbols were read as letters
  bool merged = false;  // rebuilt from spaced-out letters ("i g n o r e")
  bool gap = false;     // exactly one separator byte before it (for merging)
  bool quoted = false;  // inside quotation marks (a phrase being talked about)
};

// Tokens plus the bytes their text views point at (one allocation, not one
// string per token). Movable, not copyable: the views stay valid on move.
struct TokenList {
  std::vector<Token> toks;
  std::vector<char> arena;  // [<= 2 * input bytes]: token text, rewritten (leet) or merged
  TokenList() = default;
  TokenList(TokenList&&) = default;
  TokenList& operator=(TokenList&&) = default;
  TokenList(const TokenList&) = delete;
  TokenList& operator=(const TokenList&) = delete;
};

TokenList tokenize_for_matching(std::string_view normalized);

}  // namespace cellar::guard
