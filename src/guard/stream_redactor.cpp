#include "guard/stream_redactor.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "guard/canary.h"

namespace cellar::guard {
namespace {

constexpr std::string_view kCanaryPrefix = "cellar-canary-";
constexpr size_t kCanaryHexDigits = 24;
// No PII match is longer (an e-mail address is at most 254 bytes); a run of
// match characters longer than this is released except for its last kMaxPiiHold bytes.
constexpr size_t kMaxPiiHold = 320;
// A verbatim copy of the system prompt is held back at most this many words
// at a time; a longer copy is still redacted, in pieces of at least kMinLeakWords.
constexpr size_t kMaxVerbatimWords = 64;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

// Characters any PII match is made of (e-mail local parts, domains, number groups).
bool pii_char(char c) { return is_alnum(c) || (c != '\0' && std::strchr("@._%+-()'", c) != nullptr); }

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// Characters of the groups a number or IBAN may be split into: "4111", "(415)", "+60", "WEST".
bool group_char(char c) { return is_digit(c) || is_upper(c) || c == '+' || c == '-' || c == '(' || c == ')' || c == '.'; }
bool groupable(std::string_view w) { return std::all_of(w.begin(), w.end(), group_char); }
bool has_digit(std::string_view w) { return std::any_of(w.begin(), w.end(), is_digit); }

// Two groups that may belong to one number or IBAN ("4111 1111", "GB82 WEST",
// "WEST 1234", "( 415"); `cur` is empty when the text ends with the space.
// `whole`: `prev` is a whole word, not the tail of one ("there." ends in ".").
bool joins(std::string_view prev, std::string_view cur, bool whole) {
  if (!groupable(prev) || !groupable(cur)) return false;
  if (has_digit(prev) || has_digit(cur)) return true;
  auto symbols = [](std::string_view w) { return !w.empty() && std::none_of(w.begin(), w.end(), is_upper); };
  if (whole && (symbols(prev) || symbols(cur))) return true;
  auto letters = [](std::string_view w) { return w.size() <= 4 && std::all_of(w.begin(), w.end(), is_upper); };
  return !prev.empty() && letters(prev) && letters(cur);  // letter groups of an IBAN
}

// Word characters for the verbatim comparison, as in canary.cpp: ASCII
// letters and digits (compared lower-cased) and any non-ASCII byte.
bool word_byte(char c) { return is_alnum(c) || static_cast<unsigned char>(c) >= 0x80; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

struct WordSpan {
  size_t begin, end;
};

// The last `max_words` words of `s`, in text order.
std::vector<WordSpan> last_words(std::string_view s, size_t max_words) {
  std::vector<WordSpan> words;
  size_t i = s.size();
  while (i > 0 && words.size() < max_words) {
    while (i > 0 && !word_byte(s[i - 1])) --i;
    size_t end = i;
    while (i > 0 && word_byte(s[i - 1])) --i;
    if (end > i) words.push_back(WordSpan{i, end});
  }
  std::reverse(words.begin(), words.end());
  return words;
}

}  // namespace

std::string find_canary_in(std::string_view system_prompt) {
  for (size_t at = system_prompt.find(kCanaryPrefix); at != std::string_view::npos;
       at = system_prompt.find(kCanaryPrefix, at + 1)) {
    size_t b = at + kCanaryPrefix.size(), e = b;
    while (e < system_prompt.size() && is_hex(system_prompt[e])) ++e;
    if (e - b == kCanaryHexDigits) return std::string(system_prompt.substr(at, e - at));
  }
  return {};
}

StreamRedactor::StreamRedactor(OutputGuardOptions opts) : opts_(std::move(opts)) {
  if (opts_.system_prompt.empty()) return;
  prompt_words_ = " ";
  for (const WordSpan& w : last_words(opts_.system_prompt, opts_.system_prompt.size())) {
    for (size_t i = w.begin; i < w.end; ++i) prompt_words_.push_back(lower(opts_.system_prompt[i]));
    prompt_words_.push_back(' ');
  }
}

std::string StreamRedactor::push(std::string_view chunk) {
  if (inactive()) return std::string(chunk);
  if (blocked_) return {};
  pending_.append(chunk);
  size_t cut = hold_from();
  // Never cut through a match that is already complete: a hold keeps what may
  // still grow, and a canary may end in a character that also starts it.
  if (opts_.pii != 0) {
    for (const PiiFinding& f : find_pii(pending_, opts_.pii)) {
      if (f.begin < cut && f.end > cut) cut = f.begin;
    }
  }
  if (!opts_.system_prompt.empty() || !opts_.canary.empty()) {
    for (const LeakSpan& s : check_output_leak(pending_, opts_.system_prompt, opts_.canary).spans) {
      if (s.begin < cut && s.end > cut) cut = s.begin;
    }
  }
  return release(cut);
}

std::string StreamRedactor::finish() {
  if (inactive()) return {};
  return release(pending_.size());
}

size_t StreamRedactor::hold_from() const { return std::min({pii_hold(), canary_hold(), verbatim_hold()}); }

// The trailing word of match characters, continued backwards over single
// spaces between number-like groups ("4111 1111 11" may still become a card).
// A number may start inside a word ("b(415) 555-2671"): a word joins when its
// trailing group characters do, and the hold then starts at the word's start,
// so the cut always falls between words.
size_t StreamRedactor::pii_hold() const {
  const std::string& s = pending_;
  size_t n = s.size();
  if (opts_.pii == 0) return n;
  size_t i = n;
  while (i > 0 && pii_char(s[i - 1])) --i;
  size_t lead = i;
  while (lead < n && group_char(s[lead])) ++lead;
  std::string_view cur(s.data() + i, lead - i);  // leading group characters of the held word
  bool open = lead > i || i == n;                 // "" at a trailing space may still become a group
  while (open && i >= 2 && s[i - 1] == ' ' && pii_char(s[i - 2])) {
    size_t word = i - 1, group = i - 1;
    while (word > 0 && pii_char(s[word - 1])) --word;
    while (group > word && group_char(s[group - 1])) --group;
    std::string_view prev(s.data() + group, i - 1 - group);
    if (prev.empty() || !joins(prev, cur, group == word)) break;
    i = word;
    open = group == word;  // other characters before the group: no number reaches further back
    cur = prev;
  }
  return std::max(i, n > kMaxPiiHold ? n - kMaxPiiHold : size_t{0});
}

// The longest suffix that is a proper prefix of the canary.
size_t StreamRedactor::canary_hold() const {
  const std::string& c = opts_.canary;
  size_t n = pending_.size();
  if (c.empty()) return n;
  for (size_t k = std::min(c.size() - 1, n); k > 0; --k) {
    if (pending_.compare(n - k, k, c, 0, k) == 0) return n - k;
  }
  return n;
}

// The longest run of trailing words that so far repeats the system prompt.
size_t StreamRedactor::verbatim_hold() const {
  size_t n = pending_.size();
  if (prompt_words_.empty()) return n;
  std::vector<WordSpan> words = last_words(pending_, kMaxVerbatimWords);
  bool complete = n > 0 && !word_byte(pending_[n - 1]);  // the last word may still grow otherwise
  size_t hold = n;
  std::string tail = complete ? " " : "";
  for (size_t w = words.size(); w-- > 0;) {
    std::string word = " ";
    for (size_t i = words[w].begin; i < words[w].end; ++i) word.push_back(lower(pending_[i]));
    tail.insert(0, word);
    if (prompt_words_.find(tail) == std::string::npos) break;
    hold = words[w].begin;
  }
  return hold;
}

std::string StreamRedactor::release(size_t cut) {
  std::string out = pending_.substr(0, cut);
  pending_.erase(0, cut);
  if (blocked_ || out.empty()) return blocked_ ? std::string() : out;
  if (!opts_.system_prompt.empty() || !opts_.canary.empty()) {
    LeakCheck leak = check_output_leak(out, opts_.system_prompt, opts_.canary);
    if (leak.leaked) {
      leaks_ += leak.spans.size();
      if (opts_.block_on_leak) {
        out.resize(leak.spans.front().begin);
        blocked_ = true;
        pending_.clear();
      } else {
        out = redact_leaks(out, leak);
      }
    }
  }
  if (opts_.pii != 0) {
    Redaction r = redact_pii(out, opts_.pii);
    pii_redacted_ += r.findings.size();
    out = std::move(r.text);
  }
  return out;
}

}  // namespace cellar::guard
