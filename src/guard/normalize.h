#pragma once
// Text normalisation before injection matching: attackers hide instructions
// behind Unicode tricks (compatibility forms, zero-width and bidi controls,
// Cyrillic/Greek look-alikes, accents, tag characters), so matching runs on a
// folded form where those variants collapse onto plain lowercase ASCII.
// CJK and other scripts without a Latin look-alike pass through unchanged.
#include <string>
#include <string_view>

namespace cellar::guard {

struct NormalizedText {
  // NFKC + case fold, invisible/format characters removed, confusables and
  // accented Latin letters mapped to ASCII, whitespace runs collapsed to one
  // ' ' (or '\n' when the run held a line break). Always valid UTF-8.
  std::string text;
  bool had_invisible = false;    // zero-width, bidi override, BOM, soft hyphen...
  bool had_confusable = false;   // a Cyrillic/Greek look-alike was mapped
  // ASCII smuggled in Unicode tag characters (U+E0020..U+E007E), decoded.
  std::string tag_payload;
};

// Never throws on bad input: invalid UTF-8 becomes U+FFFD.
NormalizedText normalize_for_matching(std::string_view utf8);

}  // namespace cellar::guard
