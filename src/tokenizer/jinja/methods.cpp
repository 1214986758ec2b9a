// Python methods that ImmutableSandboxedEnvironment lets templates call on
// str, dict and list values (non-mutating ones only; mutators raise).
#include <algorithm>

#include "tokenizer/jinja/builtins.h"
#include "tokenizer/jinja/builtins_util.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/text.h"

namespace cellar::jinja {

namespace {

bool is_digit_cp(char32_t c) { return c >= '0' && c <= '9'; }
bool is_alnum_cp(char32_t c) { return is_digit_cp(c) || text::is_alpha(c); }
bool is_alpha_cp(char32_t c) { return text::is_alpha(c); }

// str.startswith / endswith: prefix may be a tuple of candidates.
bool affix_match(const std::string& s, const Value& affix, bool prefix) {
  if (affix.is_list()) {
    return std::any_of(affix.list().items.begin(), affix.list().items.end(),
                       [&](const Value& a) { return affix_match(s, a, prefix); });
  }
  if (!affix.is_string()) fail(std::string(prefix ? "startswith" : "endswith") + " first arg must be str or a tuple of str, not " + affix.type_name());
  const std::string& a = affix.str();
  if (a.size() > s.size()) return false;
  return prefix ? s.compare(0, a.size(), a) == 0 : s.compare(s.size() - a.size(), a.size(), a) == 0;
}

std::string str_format(Interpreter& in, const std::string& fmt, const CallArgs& a) {
  std::string out;
  size_t auto_index = 0;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if ((c == '{' || c == '}') && i + 1 < fmt.size() && fmt[i + 1] == c) {
      out.push_back(c);
      ++i;
      continue;
    }
    if (c == '}') fail("Single '}' encountered in format string");
    if (c != '{') {
      out.push_back(c);
      continue;
    }
    size_t close = fmt.find('}', i);
    if (close == std::string::npos) fail("Single '{' encountered in format string");
    std::string field = fmt.substr(i + 1, close - i - 1);
    if (field.find_first_of(":!") != std::string::npos) fail("str.format: format specs are not supported");
    const Value* v;
    if (field.empty()) {
      v = auto_index < a.positional.size() ? &a.positional[auto_index++] : nullptr;
    } else if (std::all_of(field.begin(), field.end(), [](char d) { return d >= '0' && d <= '9'; })) {
      size_t idx = std::stoul(field);
      v = idx < a.positional.size() ? &a.positional[idx] : nullptr;
    } else {
      v = a.get(SIZE_MAX, field);
    }
    if (!v) fail("str.format: missing argument '" + field + "'");
    v->append_to(out);
    in.check_size(out.size());
    i = close;
  }
  return out;
}

bool string_method(Interpreter& in, const std::string& s, const std::string& name, CallArgs& a, Value* r) {
  if (name == "strip" || name == "lstrip" || name == "rstrip") {
    *r = Value(text::strip(s, arg_opt_str(a, 0, "chars"), name != "rstrip", name != "lstrip"));
  } else if (name == "split" || name == "rsplit") {
    std::optional<std::string> sep = arg_opt_str(a, 0, "sep");
    if (sep && sep->empty()) fail("empty separator");
    std::vector<Value> parts;
    for (auto& p : text::split(s, sep, arg_int(a, 1, "maxsplit", -1), name == "rsplit")) parts.emplace_back(std::move(p));
    *r = Value::make_list(std::move(parts));
  } else if (name == "splitlines") {
    std::vector<Value> parts;
    for (auto& p : text::splitlines(s)) parts.emplace_back(std::move(p));
    *r = Value::make_list(std::move(parts));
  } else if (name == "startswith" || name == "endswith") {
    *r = Value(affix_match(s, arg_required(a, 0, "prefix", name), name == "startswith"));
  } else if (name == "upper") {
    *r = Value(text::upper(s));
  } else if (name == "lower" || name == "casefold") {
    *r = Value(text::lower(s));
  } else if (name == "title") {
    *r = Value(text::py_title(s));
  } else if (name == "capitalize") {
    *r = Value(text::capitalize(s));
  } else if (name == "replace") {
    std::string out = text::replace(s, arg_required(a, 0, "old", name).to_string(),
                                    arg_required(a, 1, "new", name).to_string(), arg_int(a, 2, "count", -1));
    in.check_size(out.size());
    *r = Value(std::move(out));
  } else if (name == "find" || name == "rfind" || name == "index" || name == "rindex") {
    std::string sub = arg_required(a, 0, "sub", name).to_string();
    size_t p = name[0] == 'r' ? s.rfind(sub) : s.find(sub);
    if (p == std::string::npos && name.find("index") != std::string::npos) fail("substring not found");
    *r = Value(p == std::string::npos ? int64_t{-1} : text::length(std::string_view(s).substr(0, p)));
  } else if (name == "count") {
    std::string sub = arg_required(a, 0, "sub", name).to_string();
    int64_t n = 0;
    if (sub.empty()) n = text::length(s) + 1;
    else for (size_t p = s.find(sub); p != std::string::npos; p = s.find(sub, p + sub.size())) ++n;
    *r = Value(n);
  } else if (name == "join") {
    std::string out;
    bool first = true;
    for (const auto& item : in.iterate(arg_required(a, 0, "iterable", name))) {
      if (!item.is_string()) fail("sequence item: expected str instance, " + item.type_name() + " found");
      if (!first) out += s;
      first = false;
      out += item.str();
      in.check_size(out.size());
    }
    *r = Value(std::move(out));
  } else if (name == "format") {
    *r = Value(str_format(in, s, a));
  } else if (name == "isdigit" || name == "isnumeric" || name == "isdecimal") {
    *r = Value(str_all(s, is_digit_cp));
  } else if (name == "isalpha") {
    *r = Value(str_all(s, is_alpha_cp));
  } else if (name == "isalnum") {
    *r = Value(str_all(s, is_alnum_cp));
  } else if (name == "isspace") {
    *r = Value(str_all(s, text::is_space));
  } else if (name == "isupper" || name == "islower") {
    bool up = name == "isupper";
    bool cased = text::lower(s) != text::upper(s);
    *r = Value(cased && (up ? text::upper(s) == s : text::lower(s) == s));
  } else if (name == "zfill" || name == "ljust" || name == "rjust" || name == "center") {
    int64_t width = std::min<int64_t>(arg_int(a, 0, "width", 0), 1 << 20);
    int64_t pad = width - text::length(s);
    std::string fill = arg_str(a, 1, "fillchar", name == "zfill" ? "0" : " ");
    if (pad <= 0) {
      *r = Value(s);
      return true;
    }
    auto rep = [&](int64_t n) { std::string p; for (int64_t i = 0; i < n; ++i) p += fill; return p; };
    if (name == "rjust" || name == "zfill") *r = Value(rep(pad) + s);
    else if (name == "ljust") *r = Value(s + rep(pad));
    else {
      int64_t left = pad / 2 + (pad & width & 1);
      *r = Value(rep(left) + s + rep(pad - left));
    }
  } else {
    return false;
  }
  return true;
}

bool dict_method(Interpreter&, const Value& d, const std::string& name, CallArgs& a, Value* r) {
  const Dict& dict = d.dict();
  if (name == "items" || name == "keys" || name == "values") {
    std::vector<Value> out;
    for (const auto& [k, v] : dict.items) {
      out.push_back(name == "items" ? Value::make_list({k, v}, true) : name == "keys" ? k : v);
    }
    *r = Value::make_list(std::move(out));
  } else if (name == "get") {
    const Value* v = dict.find(arg_required(a, 0, "key", "get"));
    const Value* dflt = a.get(1, "default");
    *r = v ? *v : dflt ? *dflt : Value::none();
  } else if (name == "copy") {
    auto copy = std::make_shared<Dict>(dict);
    *r = Value(std::move(copy));
  } else {
    return false;
  }
  return true;
}

bool list_method(Interpreter&, const Value& l, const std::string& name, CallArgs& a, Value* r) {
  const auto& items = l.list().items;
  if (name == "index") {
    const Value& x = arg_required(a, 0, "value", "index");
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].equals(x)) {
        *r = Value(static_cast<int64_t>(i));
        return true;
      }
    }
    fail(x.repr() + " is not in list");
  } else if (name == "count") {
    const Value& x = arg_required(a, 0, "value", "count");
    *r = Value(static_cast<int64_t>(std::count_if(items.begin(), items.end(), [&](const Value& v) { return v.equals(x); })));
  } else if (name == "copy" && !l.list().is_tuple) {
    *r = Value::make_list(items);
  } else {
    return false;
  }
  return true;
}

bool is_mutator(const Value& obj, const std::string& name) {
  static const char* kList[] = {"append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort"};
  static const char* kDict[] = {"clear", "pop", "popitem", "setdefault", "update"};
  if (obj.is_list() && !obj.list().is_tuple) return std::find(std::begin(kList), std::end(kList), name) != std::end(kList);
  if (obj.is_dict()) return std::find(std::begin(kDict), std::end(kDict), name) != std::end(kDict);
  return false;
}

bool has_method(const Value& obj, const std::string& name) {
  static const char* kStr[] = {"strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith",
                               "endswith", "upper", "lower", "casefold", "title", "capitalize", "replace",
                               "find", "rfind", "index", "rindex", "count", "join", "format", "isdigit",
                               "isnumeric", "isdecimal", "isalpha", "isalnum", "isspace", "isupper",
                               "islower", "zfill", "ljust", "rjust", "center"};
  static const char* kDict[] = {"items", "keys", "values", "get", "copy"};
  static const char* kList[] = {"index", "count", "copy"};
  auto in = [&](const auto& arr) { return std::find(std::begin(arr), std::end(arr), name) != std::end(arr); };
  if (obj.is_string()) return in(kStr);
  if (obj.is_dict() && !obj.dict().is_namespace) return in(kDict) || is_mutator(obj, name);
  if (obj.is_list()) return in(kList) || is_mutator(obj, name);
  return false;
}

}  // namespace

bool call_method(Interpreter& in, const Value& obj, const std::string& name, CallArgs& args, Value* result) {
  if (is_mutator(obj, name)) {
    fail("access to attribute '" + name + "' of '" + obj.type_name() + "' object is unsafe");
  }
  if (obj.is_string()) return string_method(in, obj.str(), name, args, result);
  if (obj.is_dict() && !obj.dict().is_namespace) return dict_method(in, obj, name, args, result);
  if (obj.is_list()) return list_method(in, obj, name, args, result);
  return false;
}

bool bound_method(const Value& obj, const std::string& name, Value* result) {
  if (!has_method(obj, name)) return false;
  *result = Value::make_function(name, [obj, name](Interpreter& in, CallArgs& args) {
    Value r;
    call_method(in, obj, name, args, &r);
    return r;
  });
  return true;
}

}  // namespace cellar::jinja
