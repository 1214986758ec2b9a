#pragma once
// Finds instructions smuggled as base64 or hex inside a message and decodes
// them so the detector can scan the plain text too. Scanning is one linear
// pass; decoded output is capped so a hostile message cannot amplify work.
#include <string>
#include <string_view>
#include <vector>

namespace cellar::guard {

struct DecodedPayload {
  enum class Kind { kBase64, kHex } kind;
  std::string text;  // decoded bytes, only kept when they look like text
};

// At most kMaxPayloads results, kMaxDecodedBytes in total.
std::vector<DecodedPayload> find_encoded_payloads(std::string_view raw);

constexpr size_t kMaxPayloads = 8;
constexpr size_t kMaxDecodedBytes = 16 * 1024;

}  // namespace cellar::guard
