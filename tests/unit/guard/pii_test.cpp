#include "guard/pii.h"

#include <gtest/gtest.h>

#include "guard/guard_error.h"
#include "guard/pii_checks.h"

namespace cellar::guard {
namespace {

std::string redact(const std::string& s, PiiMask which = kAllPii) { return redact_pii(s, which).text; }

TEST(PiiChecks, Luhn) {
  EXPECT_TRUE(luhn_valid("4111111111111111"));
  EXPECT_TRUE(luhn_valid("378282246310005"));  // Amex, 15 digits
  EXPECT_FALSE(luhn_valid("4111111111111112"));
  EXPECT_FALSE(luhn_valid("411111111111"));  // 12 digits: too short for a card
}

TEST(PiiChecks, NricDateAndPlaceOfBirth) {
  EXPECT_TRUE(nric_valid("900101145678"));
  EXPECT_TRUE(nric_valid("000229015671"));   // 29 Feb 2000
  EXPECT_FALSE(nric_valid("010229015671"));  // 29 Feb 2001 / 1901: no such day
  EXPECT_FALSE(nric_valid("901301145678"));  // month 13
  EXPECT_FALSE(nric_valid("900431145678"));  // 31 April
  for (const char* pb : {"01", "16", "21", "59", "60", "68", "71", "72", "74", "79", "82", "93", "98", "99"}) {
    EXPECT_TRUE(nric_valid(std::string("900101") + pb + "5678")) << pb;
  }
  for (const char* pb : {"00", "17", "20", "69", "70", "73", "80", "81", "94", "97"}) {
    EXPECT_FALSE(nric_valid(std::string("900101") + pb + "5678")) << pb;
  }
}

TEST(PiiChecks, SsnInvalidAreas) {
  EXPECT_TRUE(ssn_valid("123456789"));
  EXPECT_FALSE(ssn_valid("000456789"));
  EXPECT_FALSE(ssn_valid("666456789"));
  EXPECT_FALSE(ssn_valid("900456789"));
  EXPECT_FALSE(ssn_valid("123006789"));
  EXPECT_FALSE(ssn_valid("123450000"));
}

TEST(PiiChecks, Iban) {
  EXPECT_TRUE(iban_valid("GB82WEST12345698765432"));
  EXPECT_TRUE(iban_valid("DE89370400440532013000"));
  EXPECT_FALSE(iban_valid("GB82WEST12345698765433"));  // checksum
  EXPECT_FALSE(iban_valid("GB82WEST1234569876543"));   // wrong length for GB
  EXPECT_FALSE(iban_valid("ZZ82WEST12345698765432"));  // unknown country
}

TEST(Pii, Email) {
  EXPECT_EQ(redact("write to ali.bin-abu+tag@example.com.my today"), "write to [EMAIL] today");
  EXPECT_EQ(redact("not an email: user@localhost or @handle"), "not an email: user@localhost or @handle");
}

TEST(Pii, PhonesInternationalAndMalaysian) {
  EXPECT_EQ(redact("call 012-345 6789"), "call [PHONE]");
  EXPECT_EQ(redact("call +60 12-345 6789."), "call [PHONE].");
  EXPECT_EQ(redact("office 03-1234 5678"), "office [PHONE]");
  EXPECT_EQ(redact("mobile 011-2345 6789"), "mobile [PHONE]");
  EXPECT_EQ(redact("US +1 (415) 555-2671"), "US [PHONE]");
  EXPECT_EQ(redact("UK +44 20 7946 0958"), "UK [PHONE]");
  EXPECT_EQ(redact("order 20240115 qty 3 version 1.2.3"), "order 20240115 qty 3 version 1.2.3");
}

TEST(Pii, CardsNeedLuhn) {
  EXPECT_EQ(redact("card 4111 1111 1111 1111 exp 12/29"), "card [CARD] exp 12/29");
  EXPECT_EQ(redact("card 4111-1111-1111-1111"), "card [CARD]");
  EXPECT_EQ(redact("amex 3782 822463 10005"), "amex [CARD]");
  EXPECT_EQ(redact("ref 4111 1111 1111 1112"), "ref 4111 1111 1111 1112");
}

TEST(Pii, NricSsnIbanIpv4) {
  EXPECT_EQ(redact("IC 900101-14-5678 ok"), "IC [NRIC] ok");
  EXPECT_EQ(redact("IC 900101145678"), "IC [NRIC]");
  EXPECT_EQ(redact("IC 901301-14-5678"), "IC 901301-14-5678");  // month 13: not an NRIC
  EXPECT_EQ(redact("SSN 123-45-6789"), "SSN [SSN]");
  EXPECT_EQ(redact("SSN 666-45-6789"), "SSN 666-45-6789");
  EXPECT_EQ(redact("IBAN GB82 WEST 1234 5698 7654 32."), "IBAN [IBAN].");
  EXPECT_EQ(redact("IBAN DE89370400440532013000"), "IBAN [IBAN]");
  EXPECT_EQ(redact("host 192.168.1.254:8080"), "host [IPV4]:8080");
  EXPECT_EQ(redact("bad 256.1.1.1 and 1.2.3.4.5"), "bad 256.1.1.1 and 1.2.3.4.5");
}

TEST(Pii, FindingsCarryTypeAndByteSpan) {
  std::string text = "mail a@b.co, IC 900101-14-5678";
  auto r = redact_pii(text);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].type, PiiType::kEmail);
  EXPECT_EQ(text.substr(r.findings[0].begin, r.findings[0].end - r.findings[0].begin), "a@b.co");
  EXPECT_EQ(r.findings[1].type, PiiType::kNric);
  EXPECT_EQ(text.substr(r.findings[1].begin, r.findings[1].end - r.findings[1].begin), "900101-14-5678");
}

TEST(Pii, MaskSelectsTypes) {
  std::string text = "a@b.co 012-345 6789";
  EXPECT_EQ(redact(text, pii_bit(PiiType::kEmail)), "[EMAIL] 012-345 6789");
  EXPECT_EQ(redact(text, parse_pii_mask("phone")), "a@b.co [PHONE]");
  EXPECT_EQ(parse_pii_mask("all"), kAllPii);
  EXPECT_THROW(parse_pii_mask("email,passport"), GuardError);
}

TEST(Pii, MegabyteHostileInputs) {
  constexpr size_t kMb = 1 << 20;
  // One full megabyte; the other shapes at a quarter of that keep the test short.
  auto repeat = [&](const std::string& unit, size_t bytes = (1 << 20) / 4) {
    std::string s;
    while (s.size() < bytes) s += unit;
    return s;
  };
  EXPECT_EQ(find_pii(repeat("1 ", kMb)).size(), 0u);
  EXPECT_EQ(find_pii(repeat("a@")).size(), 0u);
  find_pii(repeat("1-"));
  find_pii(repeat("GB82 "));
  find_pii("x@" + repeat("a."));
  EXPECT_EQ(find_pii(repeat("4111 1111 1111 1111 ")).size(), kMb / 4 / 20 + 1);
}

}  // namespace
}  // namespace cellar::guard
