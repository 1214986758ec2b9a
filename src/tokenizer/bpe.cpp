#include "tokenizer/bpe.h"

#include <string>

#include "tokenizer/symbol_list.h"
#include "tokenizer/vocab.h"

namespace cellar {

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
  // Lowest merge rank first.
  merge_pairs<int32_t>(symbols, [&vocab](const SymbolList& s, int32_t left, int32_t right) -> std::optional<int32_t> {
    const int32_t rank = vocab.merge_rank(s.text(left), s.text(right));
    if (rank < 0) return std::nullopt;
    return rank;
  });
  // A piece that is no token: emit whatever single bytes are tokens, as llama.cpp does.
  append_pieces(
      symbols, [&vocab](std::string_view piece) { return vocab.find(piece); },
      [&vocab](uint8_t byte) {
        const char c = static_cast<char>(byte);
        return vocab.find(std::string_view(&c, 1));
      },
      out);
}

}  // namespace cellar
