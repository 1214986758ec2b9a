#include "guard/pii_checks.h"

#include <algorithm>

namespace cellar::guard {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

struct IbanCountry {
  char code[3];
  int length;
};

// ISO 13616 registry lengths (SWIFT IBAN registry), sorted by code.
constexpr IbanCountry kIbanCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
    {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24},
    {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SC", 31},
    {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22},
    {"VG", 24}, {"XK", 20}};

bool leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

bool luhn_valid(std::string_view d) {
  if (d.size() < 13 || d.size() > 19 || !all_digits(d)) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = d.rbegin(); it != d.rend(); ++it) {
    int v = *it - '0';
    if (twice) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
    sum += v;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool nric_valid(std::string_view d) {
  if (d.size() != 12 || !all_digits(d)) return false;
  int yy = num(d.substr(0, 2)), mm = num(d.substr(2, 2)), dd = num(d.substr(4, 2));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mm < 1 || mm > 12 || dd < 1) return false;
  // The century is not encoded; 29 Feb is valid when either 19YY or 20YY is leap.
  int max_day = kDays[mm - 1] + ((mm == 2 && (leap_year(1900 + yy) || leap_year(2000 + yy))) ? 1 : 0);
  if (dd > max_day) return false;
  int pb = num(d.substr(6, 2));
  return (pb >= 1 && pb <= 16) || (pb >= 21 && pb <= 68) || pb == 71 || pb == 72 || (pb >= 74 && pb <= 79) ||
         (pb >= 82 && pb <= 93) || pb == 98 || pb == 99;
}

bool ssn_valid(std::string_view d) {
  if (d.size() != 9 || !all_digits(d)) return false;
  int area = num(d.substr(0, 3)), group = num(d.substr(3, 2)), serial = num(d.substr(5, 4));
  return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
}

int iban_length(std::string_view country) {
  for (const IbanCountry& c : kIbanCountries) {
    if (country == c.code) return c.length;
  }
  return 0;
}

bool iban_valid(std::string_view s) {
  if (s.size() < 15 || s.size() > 34 || static_cast<int>(s.size()) != iban_length(s.substr(0, 2))) return false;
  if (!all_digits(s.substr(2, 2))) return false;
  // Move the first four characters to the end, letters become 10..35, mod 97.
  int rem = 0;
  for (size_t k = 0; k < s.size(); ++k) {
    char c = s[(k + 4) % s.size()];
    if (c >= '0' && c <= '9') rem = (rem * 10 + (c - '0')) % 97;
    else if (c >= 'A' && c <= 'Z') rem = (rem * 100 + (c - 'A' + 10)) % 97;
    else return false;
  }
  return rem == 1;
}

}  // namespace cellar::guard
