#include "guard/tokenize.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>

namespace cellar::guard {
namespace {

bool is_ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool is_cjk(UChar32 c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x3040 && c <= 0x30FF) ||
         (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x20000 && c <= 0x2FFFF) || (c >= 0xF900 && c <= 0xFAFF);
}

bool is_sentence_end(UChar32 c) {
  return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B || c == 0xFF0E;
}

char leet_letter(char c) {
  switch (c) {
    case '0': return 'o';
    case '1': return 'i';
    case '3': return 'e';
    case '4': return 'a';
    case '5': return 's';
    case '7': return 't';
    case '8': return 'b';
    case '9': return 'g';
    case '@': return 'a';
    case '$': return 's';
    case '!': return 'i';
    default: return c;
  }
}

// Appends token text to an arena reserved up front, so views never dangle.
class Arena {
 public:
  explicit Arena(std::vector<char>& buf) : buf_(buf) {}
  std::string_view store(std::string_view s) {
    size_t at = buf_.size();
    buf_.insert(buf_.end(), s.begin(), s.end());
    return std::string_view(buf_.data() + at, s.size());
  }

 private:
  std::vector<char>& buf_;
};

class Splitter {
 public:
  Splitter(std::vector<Token>& out, Arena& arena) : out_(out), arena_(arena) {}

  // `gap` = exactly one separator byte since the previous token.
  void add_char(char c, bool gap) {
    if (word_.empty()) word_gap_ = gap;
    word_.push_back(c);
  }
  void flush() {
    if (word_.empty()) return;
    bool letter = false, leetable = false;
    for (char c : word_) {
      if ((c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80) letter = true;
      else if (c != '\'') leetable = true;
    }
    Token t;
    t.sentence = sentence_;
    t.gap = word_gap_;
    t.quoted = quoted_;
    size_t n = 0;
    for (char c : word_) {
      if (c == '\'') continue;  // "don't" and "dont" match the same entry
      char m = (letter && leetable) ? leet_letter(c) : c;
      t.leet = t.leet || m != c;
      word_[n++] = m;
    }
    if (n > 0) {
      t.text = arena_.store(std::string_view(word_.data(), n));
      out_.push_back(t);
    }
    word_.clear();
  }
  void single(std::string_view s) {
    flush();
    Token t;
    t.text = arena_.store(s);
    t.sentence = sentence_;
    t.quoted = quoted_;
    out_.push_back(t);
  }
  void set_quoted(bool q) {
    flush();
    quoted_ = q;
    if (q) open_at_ = out_.size();
  }
  bool quoted() const { return quoted_; }
  // An opening quote that never closed quotes nothing.
  void finish() {
    flush();
    if (quoted_) {
      for (size_t k = open_at_; k < out_.size(); ++k) out_[k].quoted = false;
    }
  }
  void end_sentence() {
    flush();
    ++sentence_;
  }
  bool in_word() const { return !word_.empty(); }

 private:
  std::vector<Token>& out_;
  Arena& arena_;
  std::string word_;
  bool word_gap_ = false;
  bool quoted_ = false;
  size_t open_at_ = 0;
  uint32_t sentence_ = 0;
};

// "i g n o r e" / "i.g.n.o.r.e" -> one token; only runs of 4+ single letters
// so ordinary text ("a b test") is left alone.
void merge_spaced_letters(std::vector<Token>& toks, Arena& arena) {
  auto single_letter = [](const Token& t) { return t.text.size() == 1 && t.text[0] >= 'a' && t.text[0] <= 'z'; };
  size_t run = 0, longest = 0;
  for (const Token& t : toks) {
    run = single_letter(t) ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  if (longest < 4) return;
  std::vector<Token> out;
  out.reserve(toks.size());
  for (size_t i = 0; i < toks.size();) {
    size_t j = i;
    while (j < toks.size() && single_letter(toks[j]) &&
           (j == i || (toks[j].gap && toks[j].sentence == toks[i].sentence)))
      ++j;
    if (j - i >= 4) {
      Token m;
      m.sentence = toks[i].sentence;
      m.merged = true;
      m.quoted = toks[i].quoted;
      std::string joined;
      for (size_t k = i; k < j; ++k) joined += toks[k].text;
      m.text = arena.store(joined);
      out.push_back(m);
      i = j;
    } else {
      out.push_back(std::move(toks[i]));
      ++i;
    }
  }
  toks = std::move(out);
}

}  // namespace

TokenList tokenize_for_matching(std::string_view s) {
  TokenList list;
  list.arena.reserve(2 * s.size() + 16);  // never grows past this: views stay valid
  Arena arena(list.arena);
  std::vector<Token>& toks = list.toks;
  Splitter sp(toks, arena);
  size_t last_end = 0;  // byte after the last token character
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    bool gap = i > 0 && i == last_end + 1;
    if (static_cast<unsigned char>(c) < 0x80) {
      bool next_alnum = i + 1 < s.size() && is_ascii_alnum(s[i + 1]);
      bool inner = sp.in_word() && next_alnum && (c == '\'' || c == '@' || c == '$' || c == '!');
      bool boundary_quote = c == '\'' && !inner && (sp.quoted() ? !next_alnum : next_alnum && !sp.in_word());
      if (c == '"' || boundary_quote) {
        sp.set_quoted(!sp.quoted());
      } else if (is_ascii_alnum(c) || inner) {
        sp.add_char(c, gap);
        last_end = i + 1;
      } else if (c == '\n' || c == '!' || c == '?' || c == ';' ||
                 (c == '.' && (i + 1 >= s.size() || s[i + 1] == ' ' || s[i + 1] == '\n'))) {
        sp.end_sentence();
      } else {
        sp.flush();
      }
      ++i;
      continue;
    }
    UChar32 cp = 0;
    size_t start = i;
    int32_t idx = static_cast<int32_t>(i);
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), idx, static_cast<int32_t>(s.size()), cp);
    i = static_cast<size_t>(idx);
    if (cp >= 0 && is_cjk(cp)) {
      sp.single(s.substr(start, i - start));
      last_end = i;
    } else if (cp == 0x201C || cp == 0x201E || cp == 0x300C || cp == 0x300E || cp == 0xAB || cp == 0x2018) {
      sp.set_quoted(true);
    } else if (cp == 0x201D || cp == 0x300D || cp == 0x300F || cp == 0xBB) {
      sp.set_quoted(false);
    } else if (cp >= 0 && is_sentence_end(cp)) {
      sp.end_sentence();
    } else if (cp >= 0 && u_isalnum(cp)) {
      for (size_t k = start; k < i; ++k) sp.add_char(s[k], gap);
      last_end = i;
    } else {
      sp.flush();
    }
  }
  sp.finish();
  merge_spaced_letters(toks, arena);
  return list;
}

}  // namespace cellar::guard
