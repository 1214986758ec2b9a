#pragma once
// SentencePiece-style BPE over token scores (GGUF `tokenizer.ggml.model` =
// "llama"): start from single UTF-8 characters and repeatedly merge the
// adjacent pair whose concatenation is the highest-scoring token (leftmost on
// ties); pieces that are no token fall back to `<0xXX>` byte tokens.
// Reference: llama.cpp llm_tokenizer_spm_session (src/llama-vocab.cpp).
#include <cstdint>
#include <string_view>
#include <vector>

namespace cellar {

class Vocab;

// Appends the tokens of `text` (already whitespace-escaped to U+2581) to `out`.
// `unk_id` stands in for a byte with no byte token (-1: drop it).
void spm_encode(const Vocab& vocab, std::string_view text, int32_t unk_id, std::vector<int32_t>& out);

}  // namespace cellar
