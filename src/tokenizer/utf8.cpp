#include "tokenizer/utf8.h"

namespace cellar::utf8 {

size_t sequence_length(uint8_t lead) {
  static constexpr size_t kByHighNibble[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  return kByHighNibble[lead >> 4];
}

namespace {

bool is_continuation(uint8_t b) { return (b & 0xC0) == 0x80; }

// llama.cpp's unicode_cpt_from_utf8: structural checks only (overlong forms
// are accepted), so the two engines agree on which bytes are "invalid".
bool decode_one(std::string_view s, size_t& offset, char32_t& cp) {
  const auto b0 = static_cast<uint8_t>(s[offset]);
  size_t n = 0;
  if (!(b0 & 0x80)) {
    cp = b0;
    n = 1;
  } else if (!(b0 & 0x40)) {
    return false;
  } else if (!(b0 & 0x20)) {
    n = 2;
    cp = b0 & 0x1F;
  } else if (!(b0 & 0x10)) {
    n = 3;
    cp = b0 & 0x0F;
  } else if (!(b0 & 0x08)) {
    n = 4;
    cp = b0 & 0x07;
  } else {
    return false;
  }
  if (offset + n > s.size()) return false;
  for (size_t i = 1; i < n; ++i) {
    const auto b = static_cast<uint8_t>(s[offset + i]);
    if (!is_continuation(b)) return false;
    cp = (cp << 6) | (b & 0x3F);
  }
  offset += n;
  return true;
}

}  // namespace

std::vector<char32_t> decode_lenient(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  size_t offset = 0;
  while (offset < s.size()) {
    char32_t cp = 0;
    if (decode_one(s, offset, cp)) {
      out.push_back(cp);
    } else {
      out.push_back(kReplacement);
      ++offset;
    }
  }
  return out;
}

void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | ((cp >> 18) & 0x07)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int complete_sequence(std::string_view s) {
  if (s.empty()) return -1;
  const auto b0 = static_cast<uint8_t>(s[0]);
  if (b0 < 0x80) return 1;
  // Strict RFC 3629 ranges: no overlongs, no surrogates, nothing above U+10FFFF.
  int n = 0;
  uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  for (int i = 1; i < n; ++i) {
    if (static_cast<size_t>(i) >= s.size()) return -1;
    const auto b = static_cast<uint8_t>(s[i]);
    const bool ok = (i == 1) ? (b >= lo && b <= hi) : is_continuation(b);
    if (!ok) return 0;
  }
  return n;
}

}  // namespace cellar::utf8
