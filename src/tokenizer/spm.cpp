#include "tokenizer/spm.h"

#include <queue>

#include "tokenizer/symbol_list.h"
#include "tokenizer/vocab.h"

namespace cellar {
namespace {

struct SpmBigram {
  float score;
  int32_t left;
  int32_t right;
  int32_t size;
};

// Highest score first; on equal scores the leftmost pair.
struct SpmOrder {
  bool operator()(const SpmBigram& a, const SpmBigram& b) const {
    return a.score < b.score || (a.score == b.score && a.left > b.left);
  }
};

using SpmQueue = std::priority_queue<SpmBigram, std::vector<SpmBigram>, SpmOrder>;

void try_add(const Vocab& vocab, const SymbolList& symbols, int32_t left, int32_t right, SpmQueue& queue) {
  if (left < 0 || right < 0) return;
  const std::string_view text = symbols.pair_text(left, right);
  const int32_t id = vocab.find(text);
  if (id < 0) return;
  queue.push({vocab.score(id), left, right, static_cast<int32_t>(text.size())});
}

}  // namespace

void spm_encode(const Vocab& vocab, std::string_view text, int32_t unk_id, std::vector<int32_t>& out) {
  if (text.empty()) return;
  SymbolList symbols(text);
  SpmQueue queue;
  for (int32_t i = 1; i < symbols.count(); ++i) try_add(vocab, symbols, i - 1, i, queue);

  while (!queue.empty()) {
    const SpmBigram top = queue.top();
    queue.pop();
    if (!symbols.pair_is_current(top.left, top.right, top.size)) continue;
    symbols.merge(top.left, top.right);
    try_add(vocab, symbols, symbols[top.left].prev, top.left, queue);
    try_add(vocab, symbols, top.left, symbols[top.left].next, queue);
  }

  // Every merged symbol is a token by construction; only single characters
  // missing from the vocabulary need the byte fallback.
  for (int32_t i = 0; i != -1; i = symbols[i].next) {
    const std::string_view piece = symbols.text(i);
    const int32_t id = vocab.find(piece);
    if (id >= 0) {
      out.push_back(id);
      continue;
    }
    for (char c : piece) {
      const int32_t byte_id = vocab.byte_token(static_cast<uint8_t>(c));
      if (byte_id >= 0) {
        out.push_back(byte_id);
      } else if (unk_id >= 0) {
        out.push_back(unk_id);
      }
    }
  }
}

}  // namespace cellar
