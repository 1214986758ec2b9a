#pragma once
// Doubly linked list of text pieces over one string, and the merge loop SPM
// and BPE share over it: merging folds the right symbol into the left one in
// O(1), and stale queue entries are recognised by a size mismatch or an
// emptied symbol.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <queue>
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

// Merges adjacent pairs best first until none is left: `priority(symbols,
// left, right)` gives a pair's Key (smaller merges first) or nullopt when the
// pair may not merge; on equal keys the leftmost pair goes first. SPM passes
// the negated vocabulary score (highest score first), BPE the merge rank.
template <class Key, class Priority>
void merge_pairs(SymbolList& symbols, Priority priority) {
  struct Bigram {
    Key key;
    int32_t left;
    int32_t right;
    int32_t size;
  };
  // std::priority_queue pops the greatest element, so "greater" means "merges later".
  auto later = [](const Bigram& a, const Bigram& b) { return a.key > b.key || (a.key == b.key && a.left > b.left); };
  std::priority_queue<Bigram, std::vector<Bigram>, decltype(later)> queue(later);
  auto try_add = [&](int32_t left, int32_t right) {
    if (left < 0 || right < 0) return;
    const std::optional<Key> key = priority(symbols, left, right);
    if (key) queue.push({*key, left, right, symbols[left].size + symbols[right].size});
  };
  for (int32_t i = 1; i < symbols.count(); ++i) try_add(i - 1, i);
  while (!queue.empty()) {
    const Bigram top = queue.top();
    queue.pop();
    if (!symbols.pair_is_current(top.left, top.right, top.size)) continue;
    symbols.merge(top.left, top.right);
    try_add(symbols[top.left].prev, top.left);
    try_add(top.left, symbols[top.left].next);
  }
}

// The ids of the pieces left after merging, in order: `find(piece)` (-1 when
// the piece is no token), else `byte_fallback(byte)` for each of its bytes
// (a byte whose fallback is -1 is dropped).
template <class Find, class ByteFallback>
void append_pieces(const SymbolList& symbols, Find find, ByteFallback byte_fallback, std::vector<int32_t>& out) {
  if (symbols.count() == 0) return;
  for (int32_t i = 0; i != -1; i = symbols[i].next) {
    const std::string_view piece = symbols.text(i);
    const int32_t id = find(piece);
    if (id >= 0) {
      out.push_back(id);
      continue;
    }
    for (char c : piece) {
      const int32_t byte_id = byte_fallback(static_cast<uint8_t>(c));
      if (byte_id >= 0) out.push_back(byte_id);
    }
  }
}

}  // namespace cellar
