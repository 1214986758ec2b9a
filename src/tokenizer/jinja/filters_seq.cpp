// Jinja's builtin filters over sequences and mappings (jinja2/filters.py):
// ordering, selection, mapping and aggregation.
#include <algorithm>

#include "tokenizer/jinja/builtins.h"
#include "tokenizer/jinja/builtins_util.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/text.h"

namespace cellar::jinja {

Value get_attribute_path(Interpreter& in, const Value& item, const Value& attribute, const Value* dflt) {
  std::vector<Value> parts;
  if (attribute.is_string()) {
    size_t start = 0;
    const std::string& a = attribute.str();
    while (true) {
      size_t dot = a.find('.', start);
      std::string part = a.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      bool digits = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
      parts.push_back(digits && part.size() < 18 ? Value(static_cast<int64_t>(std::stoll(part))) : Value(part));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
  } else {
    parts.push_back(attribute);
  }
  Value v = item;
  for (const auto& p : parts) {
    v = in.get_item(v, p);
    if (dflt && v.is_undefined()) v = *dflt;
  }
  return v;
}

Value ignore_case(const Value& v) { return v.is_string() ? Value(text::lower(v.str())) : v; }

namespace {

// Key function of sort/unique/min/max: optional attribute, optional case folding.
struct KeyFn {
  Interpreter& in;
  const Value* attribute;
  bool case_sensitive;
  Value operator()(const Value& item) const {
    Value v = attribute && !attribute->is_none() ? get_attribute_path(in, item, *attribute) : item;
    return case_sensitive ? v : ignore_case(v);
  }
};

Value f_first(Interpreter& in, const Value& v, CallArgs&) {
  if (v.is_list()) return v.list().items.empty() ? Value::undefined("first") : v.list().items.front();
  auto items = in.iterate(v);
  return items.empty() ? Value::undefined("first") : items.front();
}

Value f_last(Interpreter& in, const Value& v, CallArgs&) {
  if (v.is_list()) return v.list().items.empty() ? Value::undefined("last") : v.list().items.back();
  auto items = in.iterate(v);
  return items.empty() ? Value::undefined("last") : items.back();
}

Value f_list(Interpreter& in, const Value& v, CallArgs&) { return Value::make_list(in.iterate(v)); }

Value f_join(Interpreter& in, const Value& v, CallArgs& a) {
  std::string sep = arg_str(a, 0, "d", "");
  const Value* attribute = a.get(1, "attribute");
  std::string out;
  bool first = true;
  for (const auto& item : in.iterate(v)) {
    if (!first) out += sep;
    first = false;
    (attribute && !attribute->is_none() ? get_attribute_path(in, item, *attribute) : item).append_to(out);
    in.check_size(out.size());
  }
  return Value(std::move(out));
}

Value f_reverse(Interpreter& in, const Value& v, CallArgs&) {
  if (v.is_string()) {
    std::u32string u = text::decode(v.str());
    std::reverse(u.begin(), u.end());
    return Value(text::encode(u));
  }
  auto items = in.iterate(v);
  std::reverse(items.begin(), items.end());
  return Value::make_list(std::move(items));
}

Value f_sort(Interpreter& in, const Value& v, CallArgs& a) {
  bool reverse = arg_bool(a, 0, "reverse", false);
  KeyFn key{in, a.get(2, "attribute"), arg_bool(a, 1, "case_sensitive", false)};
  auto items = in.iterate(v);
  std::vector<std::pair<Value, Value>> keyed;
  for (auto& item : items) keyed.emplace_back(key(item), std::move(item));
  std::stable_sort(keyed.begin(), keyed.end(), [reverse](const auto& x, const auto& y) {
    return reverse ? y.first.less(x.first) : x.first.less(y.first);
  });
  std::vector<Value> out;
  for (auto& kv : keyed) out.push_back(std::move(kv.second));
  return Value::make_list(std::move(out));
}

Value f_dictsort(Interpreter&, const Value& v, CallArgs& a) {
  if (!v.is_dict()) fail("dictsort: expected a mapping, got " + v.type_name());
  bool case_sensitive = arg_bool(a, 0, "case_sensitive", false);
  std::string by = arg_str(a, 1, "by", "key");
  bool reverse = arg_bool(a, 2, "reverse", false);
  if (by != "key" && by != "value") fail("You can only sort by either \"key\" or \"value\"");
  size_t pos = by == "key" ? 0 : 1;
  std::vector<Value> pairs;
  for (const auto& [k, val] : v.dict().items) pairs.push_back(Value::make_list({k, val}, true));
  std::stable_sort(pairs.begin(), pairs.end(), [&](const Value& x, const Value& y) {
    Value kx = x.list().items[pos], ky = y.list().items[pos];
    if (!case_sensitive) {
      kx = ignore_case(kx);
      ky = ignore_case(ky);
    }
    return reverse ? ky.less(kx) : kx.less(ky);
  });
  return Value::make_list(std::move(pairs));
}

Value f_unique(Interpreter& in, const Value& v, CallArgs& a) {
  KeyFn key{in, a.get(1, "attribute"), arg_bool(a, 0, "case_sensitive", false)};
  std::vector<Value> seen, out;
  for (auto& item : in.iterate(v)) {
    Value k = key(item);
    bool dup = std::any_of(seen.begin(), seen.end(), [&](const Value& s) { return s.equals(k); });
    if (dup) continue;
    in.charge(seen.size() / 16);
    seen.push_back(std::move(k));
    out.push_back(std::move(item));
  }
  return Value::make_list(std::move(out));
}

Value min_max(Interpreter& in, const Value& v, CallArgs& a, bool want_max) {
  KeyFn key{in, a.get(1, "attribute"), arg_bool(a, 0, "case_sensitive", false)};
  auto items = in.iterate(v);
  if (items.empty()) return Value::undefined(want_max ? "max" : "min");
  size_t best = 0;
  Value best_key = key(items[0]);
  for (size_t i = 1; i < items.size(); ++i) {
    Value k = key(items[i]);
    if (want_max ? best_key.less(k) : k.less(best_key)) {
      best = i;
      best_key = std::move(k);
    }
  }
  return items[best];
}

Value f_min(Interpreter& in, const Value& v, CallArgs& a) { return min_max(in, v, a, false); }
Value f_max(Interpreter& in, const Value& v, CallArgs& a) { return min_max(in, v, a, true); }

Value f_sum(Interpreter& in, const Value& v, CallArgs& a) {
  const Value* attribute = a.get(0, "attribute");
  const Value* start = a.get(1, "start");
  Value total = start ? *start : Value(0);
  for (const auto& item : in.iterate(v)) {
    Value x = attribute && !attribute->is_none() ? get_attribute_path(in, item, *attribute) : item;
    total = binary_op(BinOp::kAdd, total, x, in);
  }
  return total;
}

// Shared by map/select/reject: the filter or test named by the first argument,
// with the remaining arguments passed through.
CallArgs rest_args(const CallArgs& a, size_t skip) {
  CallArgs rest;
  for (size_t i = skip; i < a.positional.size(); ++i) rest.positional.push_back(a.positional[i]);
  for (const auto& kv : a.keyword) {
    if (kv.first != "attribute" && kv.first != "default") rest.keyword.push_back(kv);
  }
  return rest;
}

Value f_map(Interpreter& in, const Value& v, CallArgs& a) {
  std::vector<Value> out;
  auto items = in.iterate(v);
  if (a.positional.empty()) {
    const Value& attribute = arg_required(a, 99, "attribute", "map");
    const Value* dflt = a.get(99, "default");
    for (const auto& item : items) out.push_back(get_attribute_path(in, item, attribute, dflt));
    return Value::make_list(std::move(out));
  }
  std::string name = a.positional[0].to_string();
  FilterFn f = find_filter(name);
  if (!f) fail("no filter named '" + name + "'");
  for (const auto& item : items) {
    CallArgs rest = rest_args(a, 1);
    out.push_back(f(in, item, rest));
  }
  return Value::make_list(std::move(out));
}

Value select_impl(Interpreter& in, const Value& v, CallArgs& a, bool by_attr, bool keep) {
  size_t test_pos = by_attr ? 1 : 0;
  const Value* attribute = by_attr ? &arg_required(a, 0, "attr", "selectattr") : nullptr;
  TestFn test = nullptr;
  if (a.positional.size() > test_pos) {
    std::string name = a.positional[test_pos].to_string();
    test = find_test(name);
    if (!test) fail("no test named '" + name + "'");
  }
  std::vector<Value> out;
  for (auto& item : in.iterate(v)) {
    Value x = attribute ? get_attribute_path(in, item, *attribute) : item;
    bool ok;
    if (test) {
      CallArgs rest = rest_args(a, test_pos + 1);
      ok = test(in, x, rest);
    } else {
      ok = x.truthy();
    }
    if (ok == keep) out.push_back(std::move(item));
  }
  return Value::make_list(std::move(out));
}

Value f_select(Interpreter& in, const Value& v, CallArgs& a) { return select_impl(in, v, a, false, true); }
Value f_reject(Interpreter& in, const Value& v, CallArgs& a) { return select_impl(in, v, a, false, false); }
Value f_selectattr(Interpreter& in, const Value& v, CallArgs& a) { return select_impl(in, v, a, true, true); }
Value f_rejectattr(Interpreter& in, const Value& v, CallArgs& a) { return select_impl(in, v, a, true, false); }

Value f_items(Interpreter&, const Value& v, CallArgs&) {
  if (v.is_undefined()) return Value::make_list();
  if (!v.is_dict()) fail("Can only get item pairs from a mapping.");
  std::vector<Value> pairs;
  for (const auto& [k, val] : v.dict().items) pairs.push_back(Value::make_list({k, val}, true));
  return Value::make_list(std::move(pairs));
}

Value f_batch(Interpreter& in, const Value& v, CallArgs& a) {
  int64_t n = arg_int(a, 0, "linecount", 1);
  if (n <= 0) fail("batch: linecount must be positive");
  const Value* fill = a.get(1, "fill_with");
  std::vector<Value> out, cur;
  for (auto& item : in.iterate(v)) {
    cur.push_back(std::move(item));
    if (static_cast<int64_t>(cur.size()) == n) {
      out.push_back(Value::make_list(std::move(cur)));
      cur.clear();
    }
  }
  if (!cur.empty()) {
    while (fill && !fill->is_none() && static_cast<int64_t>(cur.size()) < n) cur.push_back(*fill);
    out.push_back(Value::make_list(std::move(cur)));
  }
  return Value::make_list(std::move(out));
}

Value f_groupby(Interpreter& in, const Value& v, CallArgs& a) {
  const Value& attribute = arg_required(a, 0, "attribute", "groupby");
  const Value* dflt = a.get(1, "default");
  bool case_sensitive = arg_bool(a, 2, "case_sensitive", false);
  CallArgs sort_args;
  sort_args.keyword.emplace_back("attribute", attribute);
  sort_args.keyword.emplace_back("case_sensitive", Value(case_sensitive));
  std::vector<std::pair<Value, std::vector<Value>>> groups;
  Value sorted = f_sort(in, v, sort_args);
  for (auto& item : sorted.list().items) {
    Value k = get_attribute_path(in, item, attribute, dflt);
    Value cmp = case_sensitive ? k : ignore_case(k);
    if (groups.empty() || !(case_sensitive ? groups.back().first : ignore_case(groups.back().first)).equals(cmp)) {
      groups.emplace_back(k, std::vector<Value>());
    }
    groups.back().second.push_back(item);
  }
  std::vector<Value> out;
  for (auto& [k, items] : groups) out.push_back(Value::make_list({k, Value::make_list(std::move(items))}, true));
  return Value::make_list(std::move(out));
}

}  // namespace

void register_sequence_filters(FilterTable& t) {
  t["batch"] = f_batch;
  t["dictsort"] = f_dictsort;
  t["first"] = f_first;
  t["groupby"] = f_groupby;
  t["items"] = f_items;
  t["join"] = f_join;
  t["last"] = f_last;
  t["list"] = f_list;
  t["map"] = f_map;
  t["max"] = f_max;
  t["min"] = f_min;
  t["reject"] = f_reject;
  t["rejectattr"] = f_rejectattr;
  t["reverse"] = f_reverse;
  t["select"] = f_select;
  t["selectattr"] = f_selectattr;
  t["sort"] = f_sort;
  t["sum"] = f_sum;
  t["unique"] = f_unique;
}

}  // namespace cellar::jinja
