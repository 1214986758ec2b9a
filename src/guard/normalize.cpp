#include "guard/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <utility>

namespace cellar::guard {
namespace {

// Look-alikes that NFKC leaves alone (Unicode confusables.txt, the subset that
// maps to a single ASCII letter). Keys are already case-folded, sorted.
constexpr std::pair<char32_t, char> kConfusables[] = {
    {0x0131, 'i'}, {0x0251, 'a'}, {0x0261, 'g'}, {0x0269, 'i'}, {0x03B1, 'a'},
    {0x03B2, 'b'}, {0x03B3, 'y'}, {0x03B5, 'e'}, {0x03B7, 'n'}, {0x03B9, 'i'},
    {0x03BA, 'k'}, {0x03BD, 'v'}, {0x03BF, 'o'}, {0x03C1, 'p'}, {0x03C4, 't'},
    {0x03C5, 'u'}, {0x03C7, 'x'}, {0x03C9, 'w'}, {0x0430, 'a'}, {0x0432, 'b'},
    {0x0435, 'e'}, {0x043A, 'k'}, {0x043C, 'm'}, {0x043D, 'h'}, {0x043E, 'o'},
    {0x0440, 'p'}, {0x0441, 'c'}, {0x0442, 't'}, {0x0443, 'y'}, {0x0445, 'x'},
    {0x0451, 'e'}, {0x0455, 's'}, {0x0456, 'i'}, {0x0457, 'i'}, {0x0458, 'j'},
    {0x04BB, 'h'}, {0x04CF, 'l'}, {0x0501, 'd'}, {0x051B, 'q'}, {0x051D, 'w'},
    {0x13A0, 'd'}, {0x1D00, 'a'}, {0x2113, 'l'},
};

char confusable_to_ascii(char32_t c) {
  auto it = std::lower_bound(std::begin(kConfusables), std::end(kConfusables), c,
                             [](const auto& e, char32_t k) { return e.first < k; });
  return (it != std::end(kConfusables) && it->first == c) ? it->second : '\0';
}

bool is_invisible(char32_t c) {
  return u_charType(static_cast<UChar32>(c)) == U_FORMAT_CHAR ||
         u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

// Appends with whitespace collapsing; `pending` remembers a run in progress.
class Folder {
 public:
  explicit Folder(std::string& out) : out_(out) {}
  void space(bool newline) { pending_ = std::max(pending_, newline ? 2 : 1); }
  void put(char c) {
    flush();
    out_.push_back(c);
  }
  void put_utf8(char32_t c) {
    flush();
    char buf[4];
    int32_t n = 0;
    UBool err = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, static_cast<UChar32>(c), err);
    if (!err) out_.append(buf, static_cast<size_t>(n));
  }

 private:
  void flush() {
    if (pending_ && !out_.empty()) out_.push_back(pending_ == 2 ? '\n' : ' ');
    pending_ = 0;
  }
  std::string& out_;
  int pending_ = 0;
};

// Pure ASCII is already NFKC; folding is lower-casing and whitespace.
void fold_ascii(std::string_view in, NormalizedText& r) {
  Folder f(r.text);
  for (char c : in) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\r') f.space(true);
    else if (u <= 0x20 || u == 0x7F) f.space(false);
    else f.put(static_cast<char>(u >= 'A' && u <= 'Z' ? u + 32 : u));
  }
}

// Base letter of an accented Latin letter ("é" -> 'e'), or '\0'.
char strip_accent(const icu::Normalizer2& nfd, char32_t c) {
  icu::UnicodeString dec;
  if (!nfd.getDecomposition(static_cast<UChar32>(c), dec) || dec.isEmpty()) return '\0';
  UChar first = dec.charAt(0);
  return (first < 0x80 && u_isalpha(first)) ? static_cast<char>(u_tolower(first)) : '\0';
}

struct Icu {
  const icu::Normalizer2* nfkc_cf = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  Icu() {
    UErrorCode st = U_ZERO_ERROR;
    nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(st);
    if (U_FAILURE(st)) nfkc_cf = nullptr;
    st = U_ZERO_ERROR;
    nfd = icu::Normalizer2::getNFDInstance(st);
    if (U_FAILURE(st)) nfd = nullptr;
  }
};

const Icu& icu_instances() {
  static const Icu icu;
  return icu;
}

// One already-normalised code point into the folded output.
void emit(Folder& f, const Icu& icu, UChar32 c, NormalizedText& r) {
  if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029 || c == 0x85) f.space(true);
  else if (c < 0x80) {
    if (c <= 0x20 || c == 0x7F) f.space(false);
    else f.put(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  } else if (u_isUWhiteSpace(c) || u_iscntrl(c)) f.space(false);
  else if (char a = confusable_to_ascii(static_cast<char32_t>(c))) {
    r.had_confusable = true;
    f.put(a);
  } else if (char b = (icu.nfd && c < 0x2000) ? strip_accent(*icu.nfd, static_cast<char32_t>(c)) : '\0') {
    f.put(b);
  } else if (u_charType(c) != U_NON_SPACING_MARK) {  // stray marks (Zalgo text) carry no meaning
    f.put_utf8(static_cast<char32_t>(c));
  }
}

// Streams code points; only those NFKC_CF would change go through ICU, one at
// a time (composition across characters does not matter for matching).
void fold_unicode(std::string_view in, NormalizedText& r) {
  const Icu& icu = icu_instances();
  Folder f(r.text);
  const auto* bytes = reinterpret_cast<const uint8_t*>(in.data());
  int32_t n = static_cast<int32_t>(in.size());
  for (int32_t i = 0; i < n;) {
    if (bytes[i] < 0x80) {  // ASCII: lower-case and whitespace only
      char c = static_cast<char>(bytes[i++]);
      if (c == '\n' || c == '\r') f.space(true);
      else if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) f.space(false);
      else f.put(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      continue;
    }
    UChar32 c = 0;
    U8_NEXT(bytes, i, n, c);
    if (c < 0) c = 0xFFFD;
    if (c >= 0xE0020 && c <= 0xE007E) {
      r.tag_payload.push_back(static_cast<char>(c - 0xE0000));
      continue;
    }
    // Fullwidth and mathematical letters: NFKC folds them, but they are a disguise.
    if ((c >= 0xFF21 && c <= 0xFF5A) || (c >= 0x1D400 && c <= 0x1D7FF)) r.had_confusable = true;
    if (is_invisible(static_cast<char32_t>(c))) {
      r.had_invisible = true;
      continue;
    }
    if (!icu.nfkc_cf || icu.nfkc_cf->isInert(c)) {
      emit(f, icu, c, r);
      continue;
    }
    UErrorCode st = U_ZERO_ERROR;
    icu::UnicodeString folded = icu.nfkc_cf->normalize(icu::UnicodeString(c), st);
    if (U_FAILURE(st)) folded = icu::UnicodeString(c);
    for (int32_t k = 0; k < folded.length();) {
      UChar32 d = folded.char32At(k);
      k += U16_LENGTH(d);
      emit(f, icu, d, r);
    }
  }
}

}  // namespace

NormalizedText normalize_for_matching(std::string_view utf8) {
  NormalizedText r;
  r.text.reserve(utf8.size());
  bool ascii = std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) fold_ascii(utf8, r);
  else fold_unicode(utf8, r);
  return r;
}

}  // namespace cellar::guard
