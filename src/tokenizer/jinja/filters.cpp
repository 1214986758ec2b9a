// Jinja's builtin filters on scalars and strings (jinja2/filters.py), plus
// transformers' tojson. Sequence filters live in filters_seq.cpp.
#include <cmath>
#include <cstdio>

#include "tokenizer/jinja/builtins.h"
#include "tokenizer/jinja/builtins_util.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/json_dump.h"
#include "tokenizer/jinja/text.h"

namespace cellar::jinja {

std::optional<std::string> arg_opt_str(const CallArgs& a, size_t i, std::string_view name) {
  const Value* v = a.get(i, name);
  if (!v || v->is_none() || v->is_undefined()) return std::nullopt;
  return v->to_string();
}

int64_t arg_int(const CallArgs& a, size_t i, std::string_view name, int64_t dflt) {
  const Value* v = a.get(i, name);
  if (!v || v->is_none()) return dflt;
  if (!v->is_number()) fail("'" + v->type_name() + "' object cannot be interpreted as an integer");
  return v->is_int() ? v->as_int() : static_cast<int64_t>(v->as_float());
}

bool arg_bool(const CallArgs& a, size_t i, std::string_view name, bool dflt) {
  const Value* v = a.get(i, name);
  return v ? v->truthy() : dflt;
}

std::string arg_str(const CallArgs& a, size_t i, std::string_view name, std::string dflt) {
  const Value* v = a.get(i, name);
  return v ? v->to_string() : dflt;
}

const Value& arg_required(const CallArgs& a, size_t i, std::string_view name, std::string_view fn) {
  const Value* v = a.get(i, name);
  if (!v) fail(std::string(fn) + "() missing required argument '" + std::string(name) + "'");
  return *v;
}

bool str_all(const std::string& s, bool (*pred)(char32_t)) {
  std::u32string u = text::decode(s);
  if (u.empty()) return false;
  for (char32_t c : u) {
    if (!pred(c)) return false;
  }
  return true;
}

namespace {

Value f_abs(Interpreter&, const Value& v, CallArgs&) {
  if (v.is_int()) return Value(v.as_int() < 0 ? -v.as_int() : v.as_int());
  if (v.is_number()) return Value(std::fabs(v.as_float()));
  fail("bad operand type for abs(): '" + v.type_name() + "'");
}

Value f_upper(Interpreter&, const Value& v, CallArgs&) { return Value(text::upper(v.to_string())); }
Value f_lower(Interpreter&, const Value& v, CallArgs&) { return Value(text::lower(v.to_string())); }
Value f_title(Interpreter&, const Value& v, CallArgs&) { return Value(text::jinja_title(v.to_string())); }
Value f_capitalize(Interpreter&, const Value& v, CallArgs&) { return Value(text::capitalize(v.to_string())); }
Value f_string(Interpreter&, const Value& v, CallArgs&) { return Value(v.to_string()); }
Value f_safe(Interpreter&, const Value& v, CallArgs&) { return Value(v.to_string()); }
Value f_pprint(Interpreter&, const Value& v, CallArgs&) { return Value(v.repr()); }

Value f_trim(Interpreter&, const Value& v, CallArgs& a) {
  return Value(text::strip(v.to_string(), arg_opt_str(a, 0, "chars"), true, true));
}

Value f_replace(Interpreter& in, const Value& v, CallArgs& a) {
  std::string s = v.to_string();
  std::string out = text::replace(s, arg_required(a, 0, "old", "replace").to_string(),
                                  arg_required(a, 1, "new", "replace").to_string(),
                                  arg_int(a, 2, "count", -1));
  in.check_size(out.size());
  return Value(std::move(out));
}

Value f_default(Interpreter&, const Value& v, CallArgs& a) {
  bool boolean = arg_bool(a, 1, "boolean", false);
  if (v.is_undefined() || (boolean && !v.truthy())) {
    const Value* d = a.get(0, "default_value");
    return d ? *d : Value("");
  }
  return v;
}

Value f_length(Interpreter&, const Value& v, CallArgs&) {
  switch (v.type()) {
    case Value::Type::kUndefined: return Value(0);
    case Value::Type::kString: return Value(text::length(v.str()));
    case Value::Type::kList: return Value(static_cast<int64_t>(v.list().items.size()));
    case Value::Type::kDict: return Value(static_cast<int64_t>(v.dict().items.size()));
    default: fail("object of type '" + v.type_name() + "' has no len()");
  }
}

std::optional<int64_t> parse_int(std::string s, int base) {
  s = text::strip(s, std::nullopt, true, true);
  std::string digits;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i > 0 && i + 1 < s.size() && std::isalnum(static_cast<unsigned char>(s[i + 1]))) continue;
    digits.push_back(s[i]);
  }
  if (digits.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long r = std::strtoll(digits.c_str(), &end, base);
  if (errno != 0 || *end != '\0' || std::isspace(static_cast<unsigned char>(digits[0]))) return std::nullopt;
  return r;
}

std::optional<double> parse_float(const std::string& raw) {
  std::string s = text::strip(raw, std::nullopt, true, true);
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (*end != '\0') return std::nullopt;
  return d;
}

Value f_int(Interpreter&, const Value& v, CallArgs& a) {
  const Value* dflt = a.get(0, "default");
  Value fallback = dflt ? *dflt : Value(0);
  int base = static_cast<int>(arg_int(a, 1, "base", 10));
  if (v.is_int()) return Value(v.as_int());
  if (v.is_number()) {
    double f = v.as_float();
    if (!std::isfinite(f) || std::fabs(f) > 9.2e18) return fallback;
    return Value(static_cast<int64_t>(f));
  }
  if (v.is_string()) {
    if (auto i = parse_int(v.str(), base)) return Value(*i);
    if (auto f = parse_float(v.str()); f && std::isfinite(*f) && std::fabs(*f) < 9.2e18) {
      return Value(static_cast<int64_t>(*f));
    }
  }
  return fallback;
}

Value f_float(Interpreter&, const Value& v, CallArgs& a) {
  const Value* dflt = a.get(0, "default");
  Value fallback = dflt ? *dflt : Value(0.0);
  if (v.is_number()) return Value(v.as_float());
  if (v.is_string()) {
    if (auto f = parse_float(v.str())) return Value(*f);
  }
  return fallback;
}

Value f_round(Interpreter&, const Value& v, CallArgs& a) {
  int64_t precision = arg_int(a, 0, "precision", 0);
  std::string method = arg_str(a, 1, "method", "common");
  if (method != "common" && method != "ceil" && method != "floor") {
    fail("method must be common, ceil or floor");
  }
  if (!v.is_number()) fail("type " + v.type_name() + " doesn't define __round__ method");
  if (method == "common") {
    if (v.is_int() && precision >= 0) return Value(v.as_int());
    double x = v.as_float();
    if (!std::isfinite(x)) return Value(x);
    if (precision == 0) return Value(std::nearbyint(x));
    if (precision < 0 || precision > 300) return Value(x);
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(precision), x);
    return Value(std::strtod(buf, nullptr));
  }
  double scale = std::pow(10.0, static_cast<double>(precision));
  double x = v.as_float() * scale;
  x = method == "ceil" ? std::ceil(x) : std::floor(x);
  return Value(x / scale);
}

Value f_tojson(Interpreter& in, const Value& v, CallArgs& a) {
  JsonDumpOptions o;
  o.ensure_ascii = arg_bool(a, 0, "ensure_ascii", false);
  if (const Value* ind = a.get(1, "indent"); ind && !ind->is_none()) {
    if (ind->is_string()) o.indent = ind->str();
    else o.indent = std::string(static_cast<size_t>(std::clamp<int64_t>(arg_int(a, 1, "indent", 0), 0, 64)), ' ');
    o.item_separator = ",";
  }
  if (const Value* sep = a.get(2, "separators"); sep && !sep->is_none()) {
    if (!sep->is_list() || sep->list().items.size() != 2) fail("tojson: separators must be a pair of strings");
    o.item_separator = sep->list().items[0].to_string();
    o.key_separator = sep->list().items[1].to_string();
  }
  o.sort_keys = arg_bool(a, 3, "sort_keys", false);
  std::string out = json_dumps(v, o);
  in.check_size(out.size());
  return Value(std::move(out));
}

Value f_indent(Interpreter& in, const Value& v, CallArgs& a) {
  const Value* w = a.get(0, "width");
  std::string indention = w && w->is_string() ? w->str() : std::string(static_cast<size_t>(std::clamp<int64_t>(arg_int(a, 0, "width", 4), 0, 1024)), ' ');
  bool first = arg_bool(a, 1, "first", false);
  bool blank = arg_bool(a, 2, "blank", false);
  std::vector<std::string> lines = text::splitlines(v.to_string() + "\n");
  std::string rv;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      rv += "\n";
      if (blank || !lines[i].empty()) rv += indention;
    }
    rv += lines[i];
    in.check_size(rv.size());
  }
  if (first) rv = indention + rv;
  return Value(std::move(rv));
}

Value f_wordcount(Interpreter&, const Value& v, CallArgs&) {
  int64_t n = 0;
  bool in_word = false;
  for (char32_t c : text::decode(v.to_string())) {
    bool w = c == '_' || (c >= '0' && c <= '9') || text::is_alpha(c);
    if (w && !in_word) ++n;
    in_word = w;
  }
  return Value(n);
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

Value f_escape(Interpreter&, const Value& v, CallArgs&) { return Value(html_escape(v.to_string())); }

Value f_format(Interpreter& in, const Value& v, CallArgs& a) {
  Value args = Value::make_list(a.positional, true);
  if (!a.keyword.empty()) fail("format: keyword arguments are not supported");
  return binary_op(BinOp::kMod, Value(v.to_string()), args, in);
}

Value f_center(Interpreter&, const Value& v, CallArgs& a) {
  std::string s = v.to_string();
  int64_t width = std::min<int64_t>(arg_int(a, 0, "width", 80), 1 << 20);
  int64_t len = text::length(s);
  if (width <= len) return Value(s);
  int64_t total = width - len;
  int64_t left = total / 2 + (total & width & 1);
  return Value(std::string(static_cast<size_t>(left), ' ') + s + std::string(static_cast<size_t>(total - left), ' '));
}

Value f_attr(Interpreter& in, const Value& v, CallArgs& a) {
  return in.get_attr(v, arg_required(a, 0, "name", "attr").to_string());
}

Value f_truncate(Interpreter&, const Value& v, CallArgs& a) {
  std::u32string s = text::decode(v.to_string());
  int64_t length = arg_int(a, 0, "length", 255);
  bool killwords = arg_bool(a, 1, "killwords", false);
  std::u32string end = text::decode(arg_str(a, 2, "end", "..."));
  int64_t leeway = arg_int(a, 3, "leeway", 5);
  if (static_cast<int64_t>(s.size()) <= length + leeway) return Value(text::encode(s));
  int64_t keep = std::max<int64_t>(0, length - static_cast<int64_t>(end.size()));
  std::u32string result = s.substr(0, static_cast<size_t>(keep));
  if (!killwords) {
    size_t sp = result.rfind(U' ');
    if (sp != std::u32string::npos) result = result.substr(0, sp);
  }
  return Value(text::encode(result + end));
}

}  // namespace

void register_text_filters(FilterTable& t) {
  t["abs"] = f_abs;
  t["attr"] = f_attr;
  t["capitalize"] = f_capitalize;
  t["center"] = f_center;
  t["count"] = f_length;
  t["d"] = f_default;
  t["default"] = f_default;
  t["e"] = f_escape;
  t["escape"] = f_escape;
  t["forceescape"] = f_escape;
  t["float"] = f_float;
  t["format"] = f_format;
  t["indent"] = f_indent;
  t["int"] = f_int;
  t["length"] = f_length;
  t["lower"] = f_lower;
  t["pprint"] = f_pprint;
  t["replace"] = f_replace;
  t["round"] = f_round;
  t["safe"] = f_safe;
  t["string"] = f_string;
  t["title"] = f_title;
  t["tojson"] = f_tojson;
  t["trim"] = f_trim;
  t["truncate"] = f_truncate;
  t["upper"] = f_upper;
  t["wordcount"] = f_wordcount;
}

FilterFn find_filter(std::string_view name) {
  static const FilterTable table = [] {
    FilterTable t;
    register_text_filters(t);
    register_sequence_filters(t);
    return t;
  }();
  auto it = table.find(name);
  return it == table.end() ? nullptr : it->second;
}

}  // namespace cellar::jinja
