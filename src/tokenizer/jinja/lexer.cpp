#include "tokenizer/jinja/lexer.h"

#include <cmath>
#include <cstring>

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/text.h"

namespace cellar::jinja {

namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

void rstrip_ws(std::string& s) {
  while (!s.empty() && is_ws(s.back())) s.pop_back();
}

class Lexer {
 public:
  explicit Lexer(const std::string& s) : s_(s) {}

  std::vector<Token> run() {
    while (pos_ < s_.size()) {
      size_t p = find_tag_start(pos_);
      if (p == std::string::npos) {
        emit_text(s_.substr(pos_), pos_);
        break;
      }
      std::string text = s_.substr(pos_, p - pos_);
      size_t text_offset = pos_;
      char kind = s_[p + 1];
      char mod = (p + 2 < s_.size() && (s_[p + 2] == '-' || s_[p + 2] == '+')) ? s_[p + 2] : 0;
      size_t raw_content = kind == '%' ? match_raw_begin(p) : std::string::npos;
      apply_left_control(text, mod, kind != '{');
      emit_text(std::move(text), text_offset);
      if (raw_content != std::string::npos) {
        lex_raw(p, raw_content);
      } else if (kind == '#') {
        lex_comment(p, p + 2 + (mod ? 1 : 0));
      } else {
        lex_tag(kind == '{', p, p + 2 + (mod ? 1 : 0));
      }
    }
    out_.push_back(Token{TokenType::kEof, "", 0, 0, s_.size()});
    return std::move(out_);
  }

 private:
  const std::string& s_;
  size_t pos_ = 0;
  bool line_starting_ = true;
  std::vector<Token> out_;

  [[noreturn]] void error(size_t offset, const std::string& msg) {
    int line = 0, col = 0;
    offset_to_position(s_, offset, &line, &col);
    throw TemplateError(TemplateError::Kind::kSyntax, msg, line, col);
  }

  size_t find_tag_start(size_t from) const {
    for (size_t q = s_.find('{', from); q != std::string::npos; q = s_.find('{', q + 1)) {
      if (q + 1 < s_.size() && (s_[q + 1] == '{' || s_[q + 1] == '%' || s_[q + 1] == '#')) return q;
    }
    return std::string::npos;
  }

  void emit_text(std::string text, size_t offset) {
    if (text.empty()) return;
    out_.push_back(Token{TokenType::kText, std::move(text), 0, 0, offset});
  }

  // `-` strips all whitespace before a tag; otherwise lstrip_blocks removes
  // spaces and tabs between a line start and a block or comment tag.
  void apply_left_control(std::string& text, char mod, bool lstrip) {
    if (mod == '-') {
      rstrip_ws(text);
      return;
    }
    if (mod == '+' || !lstrip) return;
    size_t l_pos = text.rfind('\n');
    l_pos = l_pos == std::string::npos ? 0 : l_pos + 1;
    if (l_pos == 0 && !line_starting_) return;
    if (l_pos == text.size()) return;
    for (size_t i = l_pos; i < text.size(); ++i) {
      if (!is_ws(text[i])) return;
    }
    text.resize(l_pos);
  }

  // After a block or comment end: `-` eats all whitespace, `+` nothing,
  // otherwise trim_blocks eats one newline.
  size_t apply_right_control(size_t end, char mod, bool trim) {
    if (mod == '-') {
      while (end < s_.size() && is_ws(s_[end])) ++end;
    } else if (mod != '+' && trim && end < s_.size() && s_[end] == '\n') {
      ++end;
    }
    return end;
  }

  size_t skip_ws(size_t p) const {
    while (p < s_.size() && is_ws(s_[p])) ++p;
    return p;
  }

  bool word_at(size_t p, const char* w) const {
    size_t n = std::strlen(w);
    return s_.compare(p, n, w) == 0 && (p + n >= s_.size() || !is_name_char(s_[p + n]));
  }

  // `{%[-+]? raw [-]?%}` at p: returns the offset after it, or npos.
  size_t match_raw_begin(size_t p) const {
    size_t q = p + 2;
    if (q < s_.size() && (s_[q] == '-' || s_[q] == '+')) ++q;
    q = skip_ws(q);
    if (!word_at(q, "raw")) return std::string::npos;
    q = skip_ws(q + 3);
    if (s_.compare(q, 3, "-%}") == 0) return skip_ws(q + 3);
    if (s_.compare(q, 2, "%}") == 0) return q + 2;
    return std::string::npos;
  }

  void lex_raw(size_t begin, size_t content) {
    line_starting_ = content > 0 && s_[content - 1] == '\n';
    for (size_t q = s_.find("{%", content); q != std::string::npos; q = s_.find("{%", q + 1)) {
      size_t r = q + 2;
      char mod = (r < s_.size() && (s_[r] == '-' || s_[r] == '+')) ? s_[r] : 0;
      if (mod) ++r;
      r = skip_ws(r);
      if (!word_at(r, "endraw")) continue;
      r = skip_ws(r + 6);
      char end_mod = (r < s_.size() && (s_[r] == '-' || s_[r] == '+')) ? s_[r] : 0;
      if (s_.compare(r + (end_mod ? 1 : 0), 2, "%}") != 0) continue;
      std::string text = s_.substr(content, q - content);
      apply_left_control(text, mod, true);
      emit_text(std::move(text), content);
      pos_ = apply_right_control(r + (end_mod ? 3 : 2), end_mod, true);
      line_starting_ = pos_ > 0 && s_[pos_ - 1] == '\n';
      return;
    }
    error(begin, "Missing end of raw directive");
  }

  void lex_comment(size_t begin, size_t content) {
    size_t q = s_.find("#}", content);
    if (q == std::string::npos) error(begin, "Missing end of comment tag");
    char mod = (q > content && (s_[q - 1] == '-' || s_[q - 1] == '+')) ? s_[q - 1] : 0;
    pos_ = apply_right_control(q + 2, mod, true);
    line_starting_ = s_[pos_ - 1] == '\n';
  }

  // Recognises the tag's end (only when brackets are balanced); advances pos_.
  bool try_tag_end(bool var, size_t p) {
    char mod = (s_[p] == '-' || (!var && s_[p] == '+')) ? s_[p] : 0;
    size_t q = p + (mod ? 1 : 0);
    if (s_.compare(q, 2, var ? "}}" : "%}") != 0) return false;
    out_.push_back(Token{var ? TokenType::kVarEnd : TokenType::kBlockEnd, "", 0, 0, p});
    pos_ = apply_right_control(q + 2, mod, !var);
    line_starting_ = s_[pos_ - 1] == '\n';
    return true;
  }

  void lex_tag(bool var, size_t begin, size_t p) {
    out_.push_back(Token{var ? TokenType::kVarBegin : TokenType::kBlockBegin, "", 0, 0, begin});
    std::string stack;  // expected closing brackets
    while (true) {
      p = skip_ws(p);
      if (p >= s_.size()) {
        error(begin, var ? "unexpected end of template, expected '}}'"
                         : "unexpected end of template, expected '%}'");
      }
      if (stack.empty() && try_tag_end(var, p)) return;
      p = lex_token(p, stack);
    }
  }

  size_t lex_token(size_t p, std::string& stack) {
    char c = s_[p];
    if (is_digit(c)) return lex_number(p);
    if (is_name_start(c)) {
      size_t q = p;
      while (q < s_.size() && is_name_char(s_[q])) ++q;
      out_.push_back(Token{TokenType::kName, s_.substr(p, q - p), 0, 0, p});
      return q;
    }
    if (c == '\'' || c == '"') return lex_string(p);
    static const char* kTwo[] = {"//", "**", "==", "!=", ">=", "<="};
    for (const char* op : kTwo) {
      if (s_.compare(p, 2, op) == 0) {
        out_.push_back(Token{TokenType::kOperator, op, 0, 0, p});
        return p + 2;
      }
    }
    if (!std::strchr("+-/*%~[](){}><=.:|,;", c)) {
      error(p, std::string("unexpected char '") + c + "'");
    }
    if (c == '(' || c == '[' || c == '{') stack.push_back(c == '(' ? ')' : c == '[' ? ']' : '}');
    if (c == ')' || c == ']' || c == '}') {
      if (stack.empty()) error(p, std::string("unexpected '") + c + "'");
      if (stack.back() != c) error(p, std::string("unexpected '") + c + "', expected '" + stack.back() + "'");
      stack.pop_back();
    }
    out_.push_back(Token{TokenType::kOperator, std::string(1, c), 0, 0, p});
    return p + 1;
  }

  size_t digits(size_t q) const {
    while (q < s_.size() && (is_digit(s_[q]) || (s_[q] == '_' && q + 1 < s_.size() && is_digit(s_[q + 1])))) ++q;
    return q;
  }

  size_t lex_number(size_t p) {
    if (s_[p] == '0' && p + 1 < s_.size() && std::strchr("xXoObB", s_[p + 1]) && s_[p + 1] != 0) {
      int base = (s_[p + 1] | 0x20) == 'x' ? 16 : (s_[p + 1] | 0x20) == 'o' ? 8 : 2;
      size_t q = p + 2;
      int64_t v = 0;
      while (q < s_.size() && (std::isxdigit(static_cast<unsigned char>(s_[q])) || s_[q] == '_')) {
        if (s_[q] != '_') {
          int d = std::isdigit(static_cast<unsigned char>(s_[q])) ? s_[q] - '0' : (s_[q] | 0x20) - 'a' + 10;
          if (d >= base) break;
          if (v > (INT64_MAX - d) / base) error(p, "integer literal too large");
          v = v * base + d;
        }
        ++q;
      }
      out_.push_back(Token{TokenType::kInt, s_.substr(p, q - p), v, 0, p});
      return q;
    }
    size_t q = digits(p);
    bool is_float = false;
    if (q + 1 < s_.size() && s_[q] == '.' && is_digit(s_[q + 1])) {
      q = digits(q + 1);
      is_float = true;
    }
    if (q < s_.size() && (s_[q] | 0x20) == 'e') {
      size_t e = q + 1;
      if (e < s_.size() && (s_[e] == '+' || s_[e] == '-')) ++e;
      if (e < s_.size() && is_digit(s_[e])) {
        q = digits(e);
        is_float = true;
      }
    }
    std::string lit;
    for (size_t i = p; i < q; ++i) {
      if (s_[i] != '_') lit.push_back(s_[i]);
    }
    Token t{is_float ? TokenType::kFloat : TokenType::kInt, lit, 0, 0, p};
    if (is_float) {
      t.float_value = std::strtod(lit.c_str(), nullptr);
    } else {
      errno = 0;
      t.int_value = std::strtoll(lit.c_str(), nullptr, 10);
      if (errno == ERANGE) error(p, "integer literal too large");
    }
    out_.push_back(std::move(t));
    return q;
  }

  size_t lex_string(size_t p) {
    char quote = s_[p];
    std::string v;
    size_t q = p + 1;
    while (true) {
      if (q >= s_.size()) error(p, "unexpected end of string");
      char c = s_[q];
      if (c == quote) break;
      if (c != '\\' || q + 1 >= s_.size()) {
        v.push_back(c);
        ++q;
        continue;
      }
      q = decode_escape(q, v);
    }
    out_.push_back(Token{TokenType::kString, std::move(v), 0, 0, p});
    return q + 1;
  }

  // Python's unicode-escape rules; unknown escapes keep their backslash.
  size_t decode_escape(size_t q, std::string& v) {
    char e = s_[q + 1];
    const char* simple = "\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v";
    for (const char* s = simple; *s; s += 2) {
      if (e == s[0]) {
        v.push_back(s[1]);
        return q + 2;
      }
    }
    if (e == '\n') return q + 2;
    if (e >= '0' && e <= '7') {
      size_t r = q + 1;
      unsigned cp = 0;
      for (int k = 0; k < 3 && r < s_.size() && s_[r] >= '0' && s_[r] <= '7'; ++k, ++r) cp = cp * 8 + (s_[r] - '0');
      text::append_code_point(v, cp);
      return r;
    }
    int n = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
    if (n == 0) {
      v.push_back('\\');
      return q + 1;
    }
    if (q + 2 + n > s_.size()) error(q, "truncated \\" + std::string(1, e) + " escape");
    char32_t cp = 0;
    for (int k = 0; k < n; ++k) {
      char h = s_[q + 2 + k];
      if (!std::isxdigit(static_cast<unsigned char>(h))) error(q, "truncated \\" + std::string(1, e) + " escape");
      cp = cp * 16 + (std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (h | 0x20) - 'a' + 10);
    }
    if (cp > 0x10FFFF) error(q, "illegal Unicode character");
    text::append_code_point(v, cp);
    return q + 2 + n;
  }
};

}  // namespace

std::string normalize_source(std::string_view source) {
  std::string out;
  out.reserve(source.size());
  for (size_t i = 0; i < source.size(); ++i) {
    if (source[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < source.size() && source[i + 1] == '\n') ++i;
    } else {
      out.push_back(source[i]);
    }
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::vector<Token> tokenize(const std::string& source) { return Lexer(source).run(); }

void offset_to_position(const std::string& source, size_t offset, int* line, int* column) {
  *line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset && i < source.size(); ++i) {
    if (source[i] == '\n') {
      ++*line;
      line_start = i + 1;
    }
  }
  *column = static_cast<int>(offset - line_start) + 1;
}

}  // namespace cellar::jinja
