#pragma once
// Doubly linked list of text pieces over one string, the state both merge
// loops share: merging folds the right symbol into the left one in O(1), and
// stale queue entries are recognised by a size mismatch or an emptied symbol.
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/utf8.h"

namespace cellar {

struct Symbol {
  int32_t begin = 0;  // byte offset in the text
  int32_t size = 0;   // 0 once merged into its left neighbour
  int32_t prev = -1;
  int32_t next = -1;
};

class SymbolList {
 public:
  // One symbol per UTF-8 character (invalid bytes stand alone).
  explicit SymbolList(std::string_view text) : text_(text) {
    size_t offset = 0;
    while (offset < text.size()) {
      const size_t n = std::min(utf8::sequence_length(static_cast<uint8_t>(text[offset])), text.size() - offset);
      const auto index = static_cast<int32_t>(symbols_.size());
      symbols_.push_back({static_cast<int32_t>(offset), static_cast<int32_t>(n), index - 1, -1});
      if (index > 0) symbols_[index - 1].next = index;
      offset += n;
    }
  }

  int32_t count() const { return static_cast<int32_t>(symbols_.size()); }
  const Symbol& operator[](int32_t i) const { return symbols_[i]; }
  std::string_view text(int32_t i) const { return text_.substr(symbols_[i].begin, symbols_[i].size); }
  // Text of symbol `left` followed by its right neighbour.
  std::string_view pair_text(int32_t left, int32_t right) const {
    return text_.substr(symbols_[left].begin, symbols_[left].size + symbols_[right].size);
  }
  // True when both symbols are still alive and together span `size` bytes.
  bool pair_is_current(int32_t left, int32_t right, int32_t size) const {
    const Symbol& l = symbols_[left];
    const Symbol& r = symbols_[right];
    return l.size > 0 && r.size > 0 && l.size + r.size == size;
  }
  void merge(int32_t left, int32_t right) {
    Symbol& l = symbols_[left];
    Symbol& r = symbols_[right];
    l.size += r.size;
    r.size = 0;
    l.next = r.next;
    if (r.next >= 0) symbols_[r.next].prev = left;
  }

 private:
  std::string_view text_;
  std::vector<Symbol> symbols_;
};

}  // namespace cellar
