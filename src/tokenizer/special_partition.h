#pragma once
// Splits text around special-token spellings before any model-specific
// tokenization, so `<|im_start|>` becomes one token instead of eight pieces.
// Control and unknown tokens are matched only when the caller asks
// (parse_special); user-defined tokens are always matched, as in Hugging Face
// tokenizers and llama.cpp (tokenizer_st_partition).
#include <cstdint>
#include <string_view>
#include <vector>

namespace cellar {

class Vocab;

struct TextFragment {
  int32_t token = -1;  // >= 0: this fragment is that special token
  size_t begin = 0;    // otherwise: raw text [begin, begin + size) of the input
  size_t size = 0;
};

// `specials` are candidate token ids, longest spelling first (earlier ones
// win where spellings overlap). Tokens with token_attr::kLstrip/kRstrip also
// swallow ASCII whitespace on that side.
std::vector<TextFragment> partition_special(std::string_view text, const Vocab& vocab,
                                            const std::vector<int32_t>& specials, bool parse_special);

}  // namespace cellar
