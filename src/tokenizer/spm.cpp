#include "tokenizer/spm.h"

#include "tokenizer/symbol_list.h"
#include "tokenizer/vocab.h"

namespace cellar {

void spm_encode(const Vocab& vocab, std::string_view text, int32_t unk_id, std::vector<int32_t>& out) {
  if (text.empty()) return;
  SymbolList symbols(text);
  // Highest score first: the negated score is the key merge_pairs pops smallest first.
  merge_pairs<float>(symbols, [&vocab](const SymbolList& s, int32_t left, int32_t right) -> std::optional<float> {
    const int32_t id = vocab.find(s.pair_text(left, right));
    if (id < 0) return std::nullopt;
    return -vocab.score(id);
  });
  // Every merged symbol is a token by construction; only single characters
  // missing from the vocabulary need the byte fallback (<0xXX> tokens, else unk).
  append_pieces(
      symbols, [&vocab](std::string_view piece) { return vocab.find(piece); },
      [&vocab, unk_id](uint8_t byte) {
        const int32_t byte_id = vocab.byte_token(byte);
        return byte_id >= 0 ? byte_id : unk_id;
      },
      out);
}

}  // namespace cellar
