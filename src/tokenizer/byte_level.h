#pragma once
// GPT-2's reversible byte <-> printable code point mapping ("byte-level" BPE).
// Spec: bytes_to_unicode() in https://github.com/openai/gpt-2/blob/master/src/encoder.py
// Printable Latin-1 bytes map to themselves; the other 68 bytes map to
// U+0100.. in byte order, so e.g. ' ' becomes 'Ġ' (U+0120) and '\n' 'Ċ'.
#include <string>
#include <string_view>

namespace cellar {

// Every byte of `bytes` replaced by its mapped code point, as UTF-8.
std::string byte_level_encode(std::string_view bytes);

// Inverse of byte_level_encode. Code points outside the table (text of
// tokens that were never byte-level encoded) are kept as their UTF-8.
std::string byte_level_decode(std::string_view text);

}  // namespace cellar
