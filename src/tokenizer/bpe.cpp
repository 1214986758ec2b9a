#include "tokenizer/bpe.h"

#include <queue>
#include <string>

#include "tokenizer/symbol_list.h"
#include "tokenizer/vocab.h"

namespace cellar {
namespace {

struct BpeBigram {
  int32_t rank;
  int32_t left;
  int32_t right;
  int32_t size;
};

// Lowest rank first; on equal ranks the leftmost pair.
struct BpeOrder {
  bool operator()(const BpeBigram& a, const BpeBigram& b) const {
    return a.rank > b.rank || (a.rank == b.rank && a.left > b.left);
  }
};

using BpeQueue = std::priority_queue<BpeBigram, std::vector<BpeBigram>, BpeOrder>;

void try_add(const Vocab& vocab, const SymbolList& symbols, int32_t left, int32_t right, BpeQueue& queue) {
  if (left < 0 || right < 0) return;
  const int32_t rank = vocab.merge_rank(symbols.text(left), symbols.text(right));
  if (rank < 0) return;
  queue.push({rank, left, right, symbols[left].size + symbols[right].size});
}

}  // namespace

void bpe_encode_word(const Vocab& vocab, std::string_view word, bool ignore_merges, std::vector<int32_t>& out) {
  if (word.empty()) return;
  if (ignore_merges) {
    const int32_t id = vocab.find(word);
    if (id >= 0) {
      out.push_back(id);
      return;
    }
  }
  SymbolList symbols(word);
  BpeQueue queue;
  for (int32_t i = 1; i < symbols.count(); ++i) try_add(vocab, symbols, i - 1, i, queue);

  while (!queue.empty()) {
    const BpeBigram top = queue.top();
    queue.pop();
    if (!symbols.pair_is_current(top.left, top.right, top.size)) continue;
    symbols.merge(top.left, top.right);
    try_add(vocab, symbols, symbols[top.left].prev, top.left, queue);
    try_add(vocab, symbols, top.left, symbols[top.left].next, queue);
  }

  for (int32_t i = 0; i != -1; i = symbols[i].next) {
    const std::string_view piece = symbols.text(i);
    const int32_t id = vocab.find(piece);
    if (id >= 0) {
      out.push_back(id);
      continue;
    }
    // A piece that is no token: emit whatever single bytes are tokens, as llama.cpp does.
    for (char c : piece) {
      const int32_t byte_id = vocab.find(std::string_view(&c, 1));
      if (byte_id >= 0) out.push_back(byte_id);
    }
  }
}

}  // namespace cellar
