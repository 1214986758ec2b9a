#include "tokenizer/pre_tokenizer.h"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <utility>

#include "tokenizer/tokenizer.h"
#include "tokenizer/utf8.h"

namespace cellar {
namespace {

// [begin, end) in UTF-16 code units of the subject string.
using Range = std::pair<int32_t, int32_t>;

char32_t sanitize(char32_t cp) {
  const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
  return (surrogate || cp > 0x10FFFF) ? utf8::kReplacement : cp;
}

// One regex pass over every range. Matches and the gaps between them both
// become pieces, as in llama.cpp's unicode_regex_split_stl. Region bounds are
// opaque, so a look-ahead never sees past its piece.
std::vector<Range> split_ranges(const icu::RegexPattern& pattern, const icu::UnicodeString& subject,
                                const std::vector<Range>& ranges) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> matcher(pattern.matcher(subject, status));
  if (U_FAILURE(status)) throw TokenizerError(std::string("pre-tokenizer: ") + u_errorName(status));
  std::vector<Range> out;
  out.reserve(ranges.size() * 2);
  for (auto [begin, end] : ranges) {
    matcher->region(begin, end, status);
    int32_t prev = begin;
    while (matcher->find(status) && U_SUCCESS(status)) {
      const int32_t s = matcher->start(status);
      const int32_t e = matcher->end(status);
      if (s > prev) out.emplace_back(prev, s);
      if (e > s) out.emplace_back(s, e);
      prev = e;
    }
    if (U_FAILURE(status)) throw TokenizerError(std::string("pre-tokenizer: ") + u_errorName(status));
    if (prev < end) out.emplace_back(prev, end);
  }
  return out;
}

}  // namespace

PreTokenizer::PreTokenizer(const std::vector<std::string>& regexes) {
  for (const auto& re : regexes) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError perr{};
    std::unique_ptr<icu::RegexPattern> p(
        icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(re), 0, perr, status));
    if (U_FAILURE(status)) {
      throw TokenizerError("pre-tokenizer regex does not compile (" + std::string(u_errorName(status)) +
                           " at offset " + std::to_string(perr.offset) + "): " + re);
    }
    patterns_.push_back(std::move(p));
  }
}

PreTokenizer::~PreTokenizer() = default;

std::vector<std::string> PreTokenizer::split(std::string_view text) const {
  std::vector<char32_t> cps = utf8::decode_lenient(text);
  icu::UnicodeString subject;
  std::vector<int32_t> cp_at_unit;  // [n_utf16_units + 1] code point index of each unit
  cp_at_unit.reserve(cps.size() + 1);
  for (size_t i = 0; i < cps.size(); ++i) {
    cps[i] = sanitize(cps[i]);
    subject.append(static_cast<UChar32>(cps[i]));
    while (cp_at_unit.size() < static_cast<size_t>(subject.length())) cp_at_unit.push_back(static_cast<int32_t>(i));
  }
  cp_at_unit.push_back(static_cast<int32_t>(cps.size()));

  std::vector<Range> ranges;
  if (subject.length() > 0) ranges.emplace_back(0, subject.length());
  for (const auto& p : patterns_) ranges = split_ranges(*p, subject, ranges);

  std::vector<std::string> words;
  words.reserve(ranges.size());
  for (auto [begin, end] : ranges) {
    std::string word;
    for (int32_t i = cp_at_unit[begin]; i < cp_at_unit[end]; ++i) utf8::append(word, cps[i]);
    words.push_back(std::move(word));
  }
  return words;
}

}  // namespace cellar
