#pragma once
// PII detection and redaction: e-mail, phone (international and Malaysian),
// payment card (Luhn), MyKad/NRIC, US SSN, IBAN (mod-97), IPv4. One linear
// scan; numbers are only reported when their checksum/structure is valid.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cellar::guard {

enum class PiiType : uint8_t { kEmail, kPhone, kCard, kNric, kSsn, kIban, kIpv4 };

using PiiMask = uint32_t;
constexpr PiiMask pii_bit(PiiType t) { return PiiMask{1} << static_cast<unsigned>(t); }
constexpr PiiMask kAllPii = (PiiMask{1} << 7) - 1;

// "[EMAIL]", "[PHONE]", "[CARD]", "[NRIC]", "[SSN]", "[IBAN]", "[IPV4]".
std::string_view pii_placeholder(PiiType t);
// "email", "phone", "card", "nric", "ssn", "iban", "ipv4".
std::string_view pii_name(PiiType t);
// Parses a comma-separated list of names ("email,card") or "all";
// throws GuardError naming an unknown one.
PiiMask parse_pii_mask(std::string_view list);

struct PiiFinding {
  PiiType type;
  size_t begin;  // byte offsets into the scanned text, [begin, end)
  size_t end;
};

// Non-overlapping findings in text order.
std::vector<PiiFinding> find_pii(std::string_view text, PiiMask which = kAllPii);

struct Redaction {
  std::string text;                 // input with each finding replaced by its placeholder
  std::vector<PiiFinding> findings; // spans refer to the *input* text
};

Redaction redact_pii(std::string_view text, PiiMask which = kAllPii);

}  // namespace cellar::guard
