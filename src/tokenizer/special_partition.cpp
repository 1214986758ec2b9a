#include "tokenizer/special_partition.h"

#include "tokenizer/vocab.h"

namespace cellar {
namespace {

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// Splits one raw fragment on every occurrence of token `id`.
void split_fragment(std::string_view text, const TextFragment& frag, int32_t id, std::string_view spelling,
                    uint32_t attr, std::vector<TextFragment>& out) {
  size_t begin = frag.begin;
  size_t end = frag.begin + frag.size;
  while (begin < end) {
    const size_t match = text.substr(0, end).find(spelling, begin);
    if (match == std::string_view::npos) break;
    size_t left_end = match;
    if (attr & token_attr::kLstrip) {
      while (left_end > begin && is_ascii_space(text[left_end - 1])) --left_end;
    }
    if (left_end > begin) out.push_back({-1, begin, left_end - begin});
    out.push_back({id, 0, 0});
    begin = match + spelling.size();
    if (attr & token_attr::kRstrip) {
      while (begin < end && is_ascii_space(text[begin])) ++begin;
    }
  }
  if (begin < end) out.push_back({-1, begin, end - begin});
}

}  // namespace

std::vector<TextFragment> partition_special(std::string_view text, const Vocab& vocab,
                                            const std::vector<int32_t>& specials, bool parse_special) {
  std::vector<TextFragment> fragments;
  if (text.empty()) return fragments;
  fragments.push_back({-1, 0, text.size()});
  std::vector<TextFragment> next;
  for (int32_t id : specials) {
    const uint32_t attr = vocab.attr(id);
    if (!parse_special && (attr & (token_attr::kControl | token_attr::kUnknown))) continue;
    const std::string_view spelling = vocab.text(id);
    if (text.find(spelling) == std::string_view::npos) continue;
    next.clear();
    for (const auto& frag : fragments) {
      if (frag.token >= 0) {
        next.push_back(frag);
      } else {
        split_fragment(text, frag, id, spelling, attr, next);
      }
    }
    fragments.swap(next);
  }
  return fragments;
}

}  // namespace cellar
