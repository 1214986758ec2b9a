#include "tokenizer/byte_level.h"

#include <array>
#include <cstdint>

#include "tokenizer/utf8.h"

namespace cellar {
namespace {

constexpr size_t kMaxMapped = 256 + 68;  // highest mapped code point + 1

struct ByteTable {
  std::array<char32_t, 256> to_cp{};       // [byte] -> code point
  std::array<std::string, 256> to_utf8{};  // [byte] -> UTF-8 of to_cp
  std::array<int32_t, kMaxMapped> to_byte{};  // [code point] -> byte or -1

  ByteTable() {
    to_byte.fill(-1);
    auto printable = [](int b) { return (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE); };
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      to_cp[b] = printable(b) ? static_cast<char32_t>(b) : next++;
      utf8::append(to_utf8[b], to_cp[b]);
      to_byte[to_cp[b]] = b;
    }
  }
};

const ByteTable& table() {
  static const ByteTable t;
  return t;
}

}  // namespace

std::string byte_level_encode(std::string_view bytes) {
  const auto& t = table();
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) out += t.to_utf8[static_cast<uint8_t>(c)];
  return out;
}

std::string byte_level_decode(std::string_view text) {
  const auto& t = table();
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : utf8::decode_lenient(text)) {
    if (cp < kMaxMapped && t.to_byte[cp] >= 0) {
      out.push_back(static_cast<char>(t.to_byte[cp]));
    } else {
      utf8::append(out, cp);
    }
  }
  return out;
}

}  // namespace cellar
