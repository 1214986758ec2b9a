#pragma once
// Token table shared by the SPM and BPE encoders: texts, scores, attributes,
// text -> id lookup and BPE merge ranks. Built once, read-only afterwards.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tokenizer/vocab_spec.h"

namespace cellar {

// Token attribute bits (llama.cpp's llama_token_attr, so behaviour ported
// from it reads the same).
namespace token_attr {
constexpr uint32_t kUndefined = 0;
constexpr uint32_t kUnknown = 1u << 0;
constexpr uint32_t kUnused = 1u << 1;
constexpr uint32_t kNormal = 1u << 2;
constexpr uint32_t kControl = 1u << 3;
constexpr uint32_t kUserDefined = 1u << 4;
constexpr uint32_t kByte = 1u << 5;
constexpr uint32_t kLstrip = 1u << 7;  // swallow whitespace before the token when matching text
constexpr uint32_t kRstrip = 1u << 8;  // swallow whitespace after it
}  // namespace token_attr

class Vocab {
 public:
  // Validates lengths, token types and merges; throws TokenizerError.
  // Takes spec.tokens over (left empty) so a 150k-token vocabulary is not copied twice.
  explicit Vocab(VocabSpec& spec);
  Vocab(const Vocab&) = delete;  // lookup keys point into text_
  Vocab& operator=(const Vocab&) = delete;

  int32_t size() const { return static_cast<int32_t>(text_.size()); }
  bool contains(int64_t id) const { return id >= 0 && id < size(); }
  std::string_view text(int32_t id) const { return text_[id]; }
  float score(int32_t id) const { return score_[id]; }
  uint32_t attr(int32_t id) const { return attr_[id]; }
  void add_attr(int32_t id, uint32_t bits) { attr_[id] |= bits; }
  void clear_attr(int32_t id, uint32_t bits) { attr_[id] &= ~bits; }
  void set_attr(int32_t id, uint32_t attr) { attr_[id] = attr; }

  // Id of the token spelled `text` (the last one when spelled twice), -1 if none.
  int32_t find(std::string_view text) const;
  // Rank of the merge `left right` (lower merges first), -1 if none.
  int32_t merge_rank(std::string_view left, std::string_view right) const;
  // SentencePiece byte fallback: the `<0xXX>` token, else the one-byte token, else -1.
  int32_t byte_token(uint8_t byte) const { return byte_token_[byte]; }

 private:
  void load_merges(const std::vector<std::string>& merges);

  std::vector<std::string> text_;  // [n_vocab]
  std::vector<float> score_;       // [n_vocab]
  std::vector<uint32_t> attr_;     // [n_vocab] token_attr bits
  std::unordered_map<std::string_view, int32_t> ids_;
  std::unordered_map<uint64_t, int32_t> rank_by_ids_;       // (left id << 32 | right id) -> rank
  std::unordered_map<std::string, int32_t> rank_by_text_;   // merges with a half that is no token
  std::array<int32_t, 256> byte_token_{};
};

}  // namespace cellar
