// Template globals: Jinja's range/dict/namespace/joiner/cycler plus the two
// transformers adds, raise_exception and strftime_now (fixed date, see
// refdata/templates/README.md).
#include <ctime>
#include <unordered_map>

#include "tokenizer/jinja/builtins.h"
#include "tokenizer/jinja/builtins_util.h"
#include "tokenizer/jinja/error.h"

namespace cellar::jinja {

namespace {

// jinja2.sandbox.MAX_RANGE
constexpr int64_t kMaxRange = 100000;

Value g_range(Interpreter&, CallArgs& a) {
  if (!a.keyword.empty()) fail("range() takes no keyword arguments");
  if (a.positional.empty() || a.positional.size() > 3) fail("range expected 1 to 3 arguments");
  for (const auto& v : a.positional) {
    if (!v.is_int()) fail("'" + v.type_name() + "' object cannot be interpreted as an integer");
  }
  int64_t start = 0, stop, step = 1;
  if (a.positional.size() == 1) {
    stop = a.positional[0].as_int();
  } else {
    start = a.positional[0].as_int();
    stop = a.positional[1].as_int();
    if (a.positional.size() == 3) step = a.positional[2].as_int();
  }
  if (step == 0) fail("range() arg 3 must not be zero");
  __int128 span = static_cast<__int128>(stop) - start;
  __int128 count = step > 0 ? (span > 0 ? (span + step - 1) / step : 0) : (span < 0 ? (-span + (-step) - 1) / (-step) : 0);
  if (count > kMaxRange) {
    fail("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
  }
  std::vector<Value> items;
  items.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < static_cast<int64_t>(count); ++i) items.emplace_back(start + i * step);
  return Value::make_list(std::move(items));
}

// dict(mapping_or_pairs, **kwargs) semantics, shared by dict() and namespace().
Value build_dict(Interpreter& in, CallArgs& a, bool is_namespace) {
  Value d = Value::make_dict();
  d.dict().is_namespace = is_namespace;
  if (a.positional.size() > 1) fail("expected at most 1 positional argument");
  if (!a.positional.empty()) {
    const Value& src = a.positional[0];
    if (src.is_dict()) {
      for (const auto& [k, v] : src.dict().items) d.dict().set(k, v);
    } else {
      for (const auto& pair : in.iterate(src)) {
        auto kv = in.iterate(pair);
        if (kv.size() != 2) fail("dictionary update sequence element has wrong length");
        d.dict().set(kv[0], kv[1]);
      }
    }
  }
  for (const auto& [k, v] : a.keyword) d.dict().set(Value(k), v);
  return d;
}

Value g_dict(Interpreter& in, CallArgs& a) { return build_dict(in, a, false); }
Value g_namespace(Interpreter& in, CallArgs& a) {
  Value ns = build_dict(in, a, true);
  in.track_namespace(ns);
  return ns;
}

Value g_raise_exception(Interpreter&, CallArgs& a) {
  const Value* msg = a.get(0, "message");
  throw TemplateError(TemplateError::Kind::kRaised, msg ? msg->to_string() : std::string());
}

Value g_strftime_now(Interpreter&, CallArgs& a) {
  std::string fmt = arg_required(a, 0, "format", "strftime_now").to_string();
  if (fmt.size() > 256) fail("strftime_now: format too long");
  std::tm tm{};
  tm.tm_year = 2024 - 1900;
  tm.tm_mon = 6;
  tm.tm_mday = 26;
  tm.tm_wday = 5;   // Friday
  tm.tm_yday = 207;
  tm.tm_isdst = 0;
  tm.tm_zone = "";  // a naive datetime: %Z prints nothing
  char buf[2048];
  size_t n = std::strftime(buf, sizeof buf, fmt.c_str(), &tm);
  return Value(std::string(buf, n));
}

Value g_joiner(Interpreter&, CallArgs& a) {
  std::string sep = arg_str(a, 0, "sep", ", ");
  auto used = std::make_shared<bool>(false);
  return Value::make_function("joiner", [sep, used](Interpreter&, CallArgs&) {
    if (!*used) {
      *used = true;
      return Value("");
    }
    return Value(sep);
  });
}

}  // namespace

const Value* find_global(std::string_view name) {
  static const std::unordered_map<std::string_view, Value> table = {
      {"range", Value::make_function("range", g_range)},
      {"dict", Value::make_function("dict", g_dict)},
      {"namespace", Value::make_function("namespace", g_namespace)},
      {"raise_exception", Value::make_function("raise_exception", g_raise_exception)},
      {"strftime_now", Value::make_function("strftime_now", g_strftime_now)},
      {"joiner", Value::make_function("joiner", g_joiner)},
  };
  auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace cellar::jinja
