#include "guard/pii.h"

#include <algorithm>

#include "guard/guard_error.h"
#include "guard/pii_checks.h"

namespace cellar::guard {
namespace {

constexpr std::string_view kNames[] = {"email", "phone", "card", "nric", "ssn", "iban", "ipv4"};
constexpr std::string_view kPlaceholders[] = {"[EMAIL]", "[PHONE]", "[CARD]", "[NRIC]", "[SSN]", "[IBAN]", "[IPV4]"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

bool is_local_char(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
}
bool is_domain_char(char c) { return is_alnum(c) || c == '.' || c == '-'; }

// E-mail around the '@' at `at`; `floor` bounds the backward scan so the
// whole pass stays linear.
bool match_email(std::string_view s, size_t at, size_t floor, size_t* b, size_t* e) {
  size_t lo = at;
  while (lo > floor && is_local_char(s[lo - 1])) --lo;
  while (lo < at && (s[lo] == '.' || s[lo] == '-')) ++lo;
  size_t hi = at + 1;
  while (hi < s.size() && is_domain_char(s[hi])) ++hi;
  while (hi > at + 1 && (s[hi - 1] == '.' || s[hi - 1] == '-')) --hi;
  if (lo == at || hi == at + 1) return false;
  std::string_view domain = s.substr(at + 1, hi - at - 1);
  size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) return false;
  if (!std::all_of(domain.begin() + static_cast<long>(dot) + 1, domain.end(), is_alpha)) return false;
  *b = lo;
  *e = hi;
  return true;
}

// IBAN starting at `i`: CC + 2 check digits, then groups, optionally split by
// single spaces. Returns the end offset or 0.
size_t match_iban(std::string_view s, size_t i) {
  if (i + 4 > s.size() || !is_upper(s[i]) || !is_upper(s[i + 1]) || !is_digit(s[i + 2]) || !is_digit(s[i + 3])) return 0;
  int want = iban_length(s.substr(i, 2));
  if (want == 0) return 0;
  std::string compact;
  size_t j = i;
  while (j < s.size() && static_cast<int>(compact.size()) < want) {
    if (is_digit(s[j]) || is_upper(s[j])) compact.push_back(s[j++]);
    else if (s[j] == ' ' && j + 1 < s.size() && is_alnum(s[j + 1]) && compact.size() % 4 == 0) ++j;
    else break;
  }
  if (j < s.size() && is_alnum(s[j])) return 0;
  return iban_valid(compact) ? j : 0;
}

struct NumberShape {
  std::string digits;
  std::vector<size_t> groups;  // digits per group
  std::string seps;            // separator before each later group
  bool plus = false, parens = false;
};

NumberShape shape_of(std::string_view run) {
  NumberShape sh;
  size_t cur = 0;
  for (char c : run) {
    if (is_digit(c)) {
      sh.digits.push_back(c);
      ++cur;
      continue;
    }
    if (c == '+') sh.plus = true;
    if (c == '(' || c == ')') sh.parens = true;
    if (cur > 0) {
      sh.groups.push_back(cur);
      cur = 0;
      sh.seps.push_back(c);
    }
  }
  if (cur > 0) sh.groups.push_back(cur);
  return sh;
}

bool groups_are(const NumberShape& sh, std::initializer_list<size_t> g) {
  return sh.groups.size() == g.size() && std::equal(g.begin(), g.end(), sh.groups.begin());
}

bool is_ipv4(std::string_view run, const NumberShape& sh) {
  if (sh.groups.size() != 4 || sh.seps != "..." || sh.plus || sh.parens) return false;
  size_t start = 0;
  for (size_t g : sh.groups) {
    if (g > 3) return false;
    std::string_view oct = std::string_view(sh.digits).substr(start, g);
    int v = 0;
    for (char c : oct) v = v * 10 + (c - '0');
    if (v > 255 || (g > 1 && oct[0] == '0')) return false;
    start += g;
  }
  return run.find_first_not_of("0123456789.") == std::string_view::npos;
}

bool is_phone(const NumberShape& sh) {
  size_t n = sh.digits.size();
  if (sh.seps.find('.') != std::string::npos && !sh.plus) return false;  // dotted numbers are versions/decimals
  if (sh.plus) return n >= 8 && n <= 15 && sh.digits[0] != '0';
  // Malaysian: mobile 01X-XXX XXXX / 01X-XXXX XXXX, landline 0X-XXXX XXXX / 0X-XXX XXXX.
  if (sh.digits[0] == '0' && sh.digits.size() > 1 && sh.digits[1] != '0') {
    bool mobile = sh.digits[1] == '1' && (n == 10 || n == 11);
    bool landline = sh.digits[1] != '1' && (n == 9 || n == 10);
    return (mobile || landline) && (sh.groups.size() >= 2 || sh.digits[1] == '1');
  }
  // North American (555) 123-4567 / 555-123-4567.
  return n == 10 && (groups_are(sh, {3, 3, 4}));
}

// Type of a number-like run, in priority order; false when it is none.
bool classify_number(std::string_view run, PiiMask which, PiiType* type) {
  NumberShape sh = shape_of(run);
  if (sh.digits.empty()) return false;
  auto want = [&](PiiType t) { return (which & pii_bit(t)) != 0; };
  bool dashed = sh.seps.find_first_not_of(" -") == std::string::npos && !sh.plus && !sh.parens;
  auto pick = [&](PiiType t) { return *type = t, true; };
  if (want(PiiType::kIpv4) && is_ipv4(run, sh)) return pick(PiiType::kIpv4);
  if (want(PiiType::kNric) && dashed && (groups_are(sh, {6, 2, 4}) || groups_are(sh, {12})) && nric_valid(sh.digits))
    return pick(PiiType::kNric);
  if (want(PiiType::kSsn) && dashed && groups_are(sh, {3, 2, 4}) && ssn_valid(sh.digits)) return pick(PiiType::kSsn);
  if (want(PiiType::kCard) && dashed && sh.digits.size() >= 13 && luhn_valid(sh.digits)) return pick(PiiType::kCard);
  if (want(PiiType::kPhone) && is_phone(sh)) return pick(PiiType::kPhone);
  return false;
}

bool is_run_char(char c) { return is_digit(c) || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+'; }

// Longest classifiable prefix of the number-like text at `i` (at most
// kMaxChunks space-separated chunks, so hostile digit floods stay linear).
// Cheap test on the first digit group: every supported shape starts with
// '+', '(', '0', a dotted octet, or a group of at least three digits.
bool plausible_start(std::string_view s, size_t i) {
  if (s[i] == '+' || s[i] == '(' || s[i] == '0') return true;
  size_t j = i;
  while (j < s.size() && is_digit(s[j])) ++j;
  return j - i >= 3 || (j < s.size() && s[j] == '.');
}

size_t match_number(std::string_view s, size_t i, PiiMask which, PiiType* type) {
  constexpr size_t kMaxChunks = 6, kMaxLen = 40;
  if (!plausible_start(s, i)) return 0;
  std::vector<size_t> ends;  // candidate end offsets: before each space, and the run end
  size_t j = i;
  while (j < s.size() && j - i < kMaxLen && is_run_char(s[j]) && ends.size() < kMaxChunks) {
    if (s[j] == ' ') {
      ends.push_back(j);
      if (j + 1 < s.size() && s[j + 1] == ' ') break;
    }
    ++j;
  }
  if (ends.size() < kMaxChunks) ends.push_back(j);
  for (auto it = ends.rbegin(); it != ends.rend(); ++it) {
    size_t e = *it;
    while (e > i && !is_digit(s[e - 1]) && s[e - 1] != ')') --e;
    bool glued = e < s.size() && (is_alnum(s[e]) || ((s[e] == '.' || s[e] == '-') && e + 1 < s.size() && is_digit(s[e + 1])));
    if (e <= i || glued) continue;  // part of a longer token ("1.2.3.4.5", "abc123")
    if (classify_number(s.substr(i, e - i), which, type)) return e;
  }
  return 0;
}

}  // namespace

namespace {

void find_emails(std::string_view s, std::vector<PiiFinding>& out) {
  size_t floor = 0;
  for (size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    size_t b = 0, e = 0;
    if (match_email(s, at, floor, &b, &e)) {
      out.push_back(PiiFinding{PiiType::kEmail, b, e});
      floor = e;
      at = e - 1;
    } else {
      floor = at + 1;
    }
  }
}

bool starts_number(std::string_view s, size_t i) {
  char c = s[i];
  bool next_digit = i + 1 < s.size() && is_digit(s[i + 1]);
  return is_digit(c) || ((c == '+' || c == '(') && next_digit);
}

void skip_word(std::string_view s, size_t* i) {
  while (*i < s.size() && is_alnum(s[*i])) ++*i;
}

// IBANs and number-shaped PII outside the e-mail spans already found.
void find_other(std::string_view s, PiiMask which, const std::vector<PiiFinding>& emails,
                std::vector<PiiFinding>& out) {
  size_t next_email = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (next_email < emails.size() && i >= emails[next_email].begin) {
      i = std::max(i, emails[next_email++].end);
      continue;
    }
    size_t limit = next_email < emails.size() ? emails[next_email].begin : s.size();
    std::string_view view = s.substr(0, limit);
    bool inside = i > 0 && (is_alnum(s[i - 1]) || (i > 1 && (s[i - 1] == '.' || s[i - 1] == '-') && is_digit(s[i - 2])));
    if (inside) {
      skip_word(view, &i);
      if (i == limit) continue;
      ++i;
      continue;
    }
    if ((which & pii_bit(PiiType::kIban)) && is_upper(s[i])) {
      if (size_t e = match_iban(view, i)) {
        out.push_back(PiiFinding{PiiType::kIban, i, e});
        i = e;
        continue;
      }
    }
    if (starts_number(view, i)) {
      PiiType t{};
      if (size_t e = match_number(view, i, which, &t)) {
        out.push_back(PiiFinding{t, i, e});
        i = e;
        continue;
      }
    }
    if (is_alnum(s[i])) skip_word(view, &i);
    else ++i;
  }
}

}  // namespace

std::string_view pii_placeholder(PiiType t) { return kPlaceholders[static_cast<size_t>(t)]; }
std::string_view pii_name(PiiType t) { return kNames[static_cast<size_t>(t)]; }

PiiMask parse_pii_mask(std::string_view list) {
  if (list == "all") return kAllPii;
  PiiMask m = 0;
  size_t pos = 0;
  while (pos <= list.size()) {
    size_t comma = std::min(list.find(',', pos), list.size());
    std::string_view name = list.substr(pos, comma - pos);
    auto it = std::find(std::begin(kNames), std::end(kNames), name);
    if (it == std::end(kNames)) {
      throw GuardError("unknown PII type \"" + std::string(name) +
                       "\" (expected all or a comma-separated list of email, phone, card, nric, ssn, iban, ipv4)");
    }
    m |= PiiMask{1} << static_cast<unsigned>(it - std::begin(kNames));
    pos = comma + 1;
  }
  return m;
}

std::vector<PiiFinding> find_pii(std::string_view text, PiiMask which) {
  std::vector<PiiFinding> emails, out;
  if (which & pii_bit(PiiType::kEmail)) find_emails(text, emails);
  find_other(text, which, emails, out);
  out.insert(out.end(), emails.begin(), emails.end());
  std::sort(out.begin(), out.end(), [](const PiiFinding& a, const PiiFinding& b) { return a.begin < b.begin; });
  return out;
}

Redaction redact_pii(std::string_view text, PiiMask which) {
  Redaction r;
  r.findings = find_pii(text, which);
  size_t at = 0;
  for (const PiiFinding& f : r.findings) {
    r.text.append(text.substr(at, f.begin - at));
    r.text.append(pii_placeholder(f.type));
    at = f.end;
  }
  r.text.append(text.substr(at));
  return r;
}

}  // namespace cellar::guard
