#include "guard/canary.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <functional>
#include <random>
#include <unordered_set>

namespace cellar::guard {
namespace {

struct Word {
  size_t begin, end;  // bytes in the source text
  size_t hash;        // of the lower-cased word
};

// Words for verbatim comparison: ASCII/letter runs, one word per CJK character
// (no spaces to split on there).
std::vector<Word> split_words(std::string_view s) {
  std::vector<Word> words;
  std::string cur;
  size_t cur_begin = 0;
  auto flush = [&](size_t end) {
    if (!cur.empty()) words.push_back(Word{cur_begin, end, std::hash<std::string>{}(cur)});
    cur.clear();
  };
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    UChar32 c = 0;
    int32_t idx = static_cast<int32_t>(i);
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), idx, static_cast<int32_t>(s.size()), c);
    i = static_cast<size_t>(idx);
    bool cjk = c >= 0x2E80 && c <= 0x9FFF;
    if (c >= 0 && !cjk && u_isalnum(c)) {
      if (cur.empty()) cur_begin = start;
      if (c < 0x80) cur.push_back(static_cast<char>(u_tolower(c)));
      else cur.append(s.substr(start, i - start));
      continue;
    }
    flush(start);
    if (cjk) words.push_back(Word{start, i, std::hash<std::string_view>{}(s.substr(start, i - start))});
  }
  flush(s.size());
  return words;
}

size_t gram_hash(const std::vector<Word>& w, size_t at) {
  size_t h = 0;
  for (size_t k = 0; k < kMinLeakWords; ++k) h = h * 1000003u ^ w[at + k].hash;
  return h;
}

void find_canary(std::string_view out, std::string_view canary, std::vector<LeakSpan>& spans) {
  if (canary.empty()) return;
  for (size_t at = out.find(canary); at != std::string_view::npos; at = out.find(canary, at + canary.size())) {
    spans.push_back(LeakSpan{at, at + canary.size(), true});
  }
}

void find_verbatim(std::string_view out, std::string_view prompt, std::vector<LeakSpan>& spans) {
  std::vector<Word> pw = split_words(prompt), ow = split_words(out);
  if (pw.size() < kMinLeakWords || ow.size() < kMinLeakWords) return;
  std::unordered_set<size_t> grams;
  for (size_t i = 0; i + kMinLeakWords <= pw.size(); ++i) grams.insert(gram_hash(pw, i));
  std::vector<bool> copied(ow.size(), false);  // [n_output_words]
  for (size_t i = 0; i + kMinLeakWords <= ow.size(); ++i) {
    if (grams.count(gram_hash(ow, i))) std::fill(copied.begin() + static_cast<long>(i),
                                                  copied.begin() + static_cast<long>(i + kMinLeakWords), true);
  }
  for (size_t i = 0; i < ow.size();) {
    if (!copied[i]) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < ow.size() && copied[j]) ++j;
    if (ow[j - 1].end - ow[i].begin >= kMinLeakChars) spans.push_back(LeakSpan{ow[i].begin, ow[j - 1].end, false});
    i = j;
  }
}

}  // namespace

std::string make_canary() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::string s = "cellar-canary-";
  for (int i = 0; i < 24; ++i) s.push_back(kHex[rd() & 0xF]);
  return s;
}

LeakCheck check_output_leak(std::string_view output, std::string_view system_prompt, std::string_view canary) {
  std::vector<LeakSpan> spans;
  find_canary(output, canary, spans);
  find_verbatim(output, system_prompt, spans);
  std::sort(spans.begin(), spans.end(), [](const LeakSpan& a, const LeakSpan& b) { return a.begin < b.begin; });
  LeakCheck r;
  for (const LeakSpan& s : spans) {
    if (!r.spans.empty() && s.begin < r.spans.back().end) {
      r.spans.back().end = std::max(r.spans.back().end, s.end);
      r.spans.back().canary = r.spans.back().canary || s.canary;
    } else {
      r.spans.push_back(s);
    }
  }
  r.leaked = !r.spans.empty();
  return r;
}

std::string redact_leaks(std::string_view output, const LeakCheck& check) {
  std::string r;
  size_t at = 0;
  for (const LeakSpan& s : check.spans) {
    r.append(output.substr(at, s.begin - at));
    r.append("[REDACTED]");
    at = s.end;
  }
  r.append(output.substr(at));
  return r;
}

}  // namespace cellar::guard
