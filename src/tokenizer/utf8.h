#pragma once
// UTF-8 helpers shared by the tokenizers and the streaming detokenizer.
// Decoding follows llama.cpp's lenient rules (unicode.cpp) so that the
// pre-tokenizer sees exactly the code points the reference engine sees:
// every byte that does not start a well-formed sequence becomes one U+FFFD.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cellar::utf8 {

constexpr char32_t kReplacement = 0xFFFD;

// Bytes announced by a lead byte; continuation and invalid bytes count as 1
// (the symbol-splitting rule of the SPM and BPE merge loops).
size_t sequence_length(uint8_t lead);

// Code points of `s`; invalid bytes decode to U+FFFD one byte at a time.
std::vector<char32_t> decode_lenient(std::string_view s);

void append(std::string& out, char32_t cp);

// Length of the well-formed sequence starting at s[0] (1..4), 0 when s[0]
// cannot start one, or -1 when `s` ends before the sequence is complete but
// every byte so far is valid (so more bytes may complete it).
int complete_sequence(std::string_view s);

}  // namespace cellar::utf8
