#pragma once
// Byte-level BPE with ranked merges (GGUF `tokenizer.ggml.model` = "gpt2"):
// within one pre-tokenized word, repeatedly apply the lowest-ranked merge
// among adjacent pairs (leftmost on ties). A priority queue over a linked
// list of symbols keeps a word of n characters at O(n log n).
// Reference: llama.cpp llm_tokenizer_bpe_session (src/llama-vocab.cpp).
#include <cstdint>
#include <string_view>
#include <vector>

namespace cellar {

class Vocab;

// Appends the tokens of one byte-level encoded word to `out`. With
// `ignore_merges` a word that is itself a token is emitted whole (Llama 3).
void bpe_encode_word(const Vocab& vocab, std::string_view word, bool ignore_merges, std::vector<int32_t>& out);

}  // namespace cellar
