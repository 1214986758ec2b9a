#pragma once
// Checksums and structural rules behind the PII detectors: a digit string is
// only reported when it is a *valid* card, MyKad, SSN or IBAN, which keeps
// order numbers and timestamps from being redacted.
#include <string_view>

namespace cellar::guard {

// Luhn (ISO/IEC 7812-1) over a string of digits, 13-19 long.
bool luhn_valid(std::string_view digits);

// Malaysian MyKad/NRIC, 12 digits YYMMDD PB ###G: a real calendar date and a
// place-of-birth code issued by JPN (01-16, 21-59, 60-68, 71-72, 74-79,
// 82-93, 98-99).
bool nric_valid(std::string_view digits12);

// US SSN AAA GG SSSS: area not 000, 666 or 900-999; group not 00; serial not 0000.
bool ssn_valid(std::string_view digits9);

// IBAN without spaces: known country length and ISO 7064 mod-97 == 1.
bool iban_valid(std::string_view compact);
// Expected IBAN length for a two-letter country code, 0 when unknown.
int iban_length(std::string_view country);

}  // namespace cellar::guard
