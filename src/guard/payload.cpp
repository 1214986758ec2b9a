#include "guard/payload.h"

#include <array>
#include <cstdint>

namespace cellar::guard {
namespace {

// Shortest run worth decoding: 16 base64 chars = 12 bytes, enough for "ignore all".
constexpr size_t kMinBase64Run = 16;
constexpr size_t kMinHexRun = 16;

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Mostly printable ASCII/UTF-8 with some letters and a space: natural language.
bool looks_like_text(const std::string& s) {
  if (s.size() < 8) return false;
  size_t printable = 0, letters = 0, spaces = 0;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7F) ++printable;
    else if (c >= 0x80 || c == '\n' || c == '\t') ++printable;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ++letters;
    if (c == ' ') ++spaces;
  }
  return printable * 10 >= s.size() * 9 && letters * 2 >= s.size() && spaces > 0;
}

std::string decode_base64(std::string_view run) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : run) {
    int v = b64_value(c);
    if (v < 0) break;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::string decode_hex(std::string_view run) {
  std::string out;
  int hi = -1;
  for (char c : run) {
    int v = hex_value(c);
    if (v < 0) continue;  // separators between byte pairs
    if (hi < 0) hi = v;
    else {
      out.push_back(static_cast<char>(hi * 16 + v));
      hi = -1;
    }
  }
  return out;
}

class Collector {
 public:
  explicit Collector(std::vector<DecodedPayload>& out) : out_(out) {}
  bool full() const { return out_.size() >= kMaxPayloads || budget_ == 0; }
  void offer(DecodedPayload::Kind kind, std::string text) {
    if (full() || !looks_like_text(text)) return;
    if (text.size() > budget_) text.resize(budget_);
    budget_ -= text.size();
    out_.push_back(DecodedPayload{kind, std::move(text)});
  }

 private:
  std::vector<DecodedPayload>& out_;
  size_t budget_ = kMaxDecodedBytes;
};

// Hex runs may separate byte pairs with one space, ':' or "\x".
size_t hex_run_end(std::string_view s, size_t i, size_t* digits) {
  size_t j = i;
  *digits = 0;
  while (j < s.size()) {
    if (hex_value(s[j]) >= 0) {
      ++*digits;
      ++j;
    } else if ((s[j] == ' ' || s[j] == ':' || s[j] == '\\' || s[j] == 'x') && *digits % 2 == 0 && j + 1 < s.size() &&
               (hex_value(s[j + 1]) >= 0 || s[j + 1] == 'x')) {
      ++j;
    } else {
      break;
    }
  }
  return j;
}

}  // namespace

std::vector<DecodedPayload> find_encoded_payloads(std::string_view s) {
  std::vector<DecodedPayload> out;
  Collector col(out);
  size_t i = 0;
  while (i < s.size() && !col.full()) {
    if (b64_value(s[i]) < 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && b64_value(s[j]) >= 0) ++j;
    // Hex needs 16 digits: either one long run or pairs split by separators.
    bool maybe_hex = hex_value(s[i]) >= 0 && (j - i >= kMinHexRun || (j - i == 2 && j < s.size()));
    size_t hex_digits = 0;
    size_t hex_end = maybe_hex ? hex_run_end(s, i, &hex_digits) : i;
    if (hex_digits >= kMinHexRun && hex_digits % 2 == 0) {
      col.offer(DecodedPayload::Kind::kHex, decode_hex(s.substr(i, hex_end - i)));
      i = hex_end;
      continue;
    }
    if (j - i >= kMinBase64Run) col.offer(DecodedPayload::Kind::kBase64, decode_base64(s.substr(i, j - i)));
    while (j < s.size() && s[j] == '=') ++j;
    i = std::max(j, i + 1);
  }
  return out;
}

}  // namespace cellar::guard
