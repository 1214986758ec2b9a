#include "tokenizer/jinja/value.h"

#include <algorithm>

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/text.h"

namespace cellar::jinja {

Value Value::undefined(std::string name) {
  Value v;
  v.s_ = std::move(name);
  return v;
}

Value Value::none() {
  Value v;
  v.type_ = Type::kNone;
  return v;
}

Value::Value(bool b) : type_(Type::kBool), b_(b) {}
Value::Value(int64_t i) : type_(Type::kInt), i_(i) {}
Value::Value(double f) : type_(Type::kFloat), f_(f) {}
Value::Value(std::string s) : type_(Type::kString), s_(std::move(s)) {}
Value::Value(std::shared_ptr<List> l) : type_(Type::kList), obj_(std::move(l)) {}
Value::Value(std::shared_ptr<Dict> d) : type_(Type::kDict), obj_(std::move(d)) {}
Value::Value(std::shared_ptr<Function> f) : type_(Type::kFunction), obj_(std::move(f)) {}

namespace {

thread_local int g_recursion = 0;

void check_nesting(uint32_t depth) {
  if (depth > kMaxNesting) fail("data nested too deeply (more than " + std::to_string(kMaxNesting) + " levels)");
}

}  // namespace

RecursionGuard::RecursionGuard() {
  if (++g_recursion > static_cast<int>(kMaxNesting) + 8) {
    --g_recursion;
    fail("maximum recursion depth exceeded (value contains itself?)");
  }
}

RecursionGuard::~RecursionGuard() { --g_recursion; }

uint32_t Value::nesting() const {
  if (type_ == Type::kList) return list().depth;
  if (type_ == Type::kDict) return dict().depth;
  return 0;
}

Value Value::make_list(std::vector<Value> items, bool is_tuple) {
  auto l = std::make_shared<List>();
  uint32_t deepest = 0;
  for (const auto& v : items) deepest = std::max(deepest, v.nesting());
  l->depth = deepest + 1;
  check_nesting(l->depth);
  l->items = std::move(items);
  l->is_tuple = is_tuple;
  return Value(std::move(l));
}

Value Value::make_dict() { return Value(std::make_shared<Dict>()); }

Value Value::make_function(std::string name, std::function<Value(Interpreter&, CallArgs&)> fn) {
  auto f = std::make_shared<Function>();
  f->name = std::move(name);
  f->call = std::move(fn);
  return Value(std::move(f));
}

Value Value::from_json(const nlohmann::ordered_json& j, uint32_t depth) {
  using J = nlohmann::ordered_json::value_t;
  if (j.is_structured()) check_nesting(depth + 1);
  switch (j.type()) {
    case J::null:
      return none();
    case J::boolean:
      return Value(j.get<bool>());
    case J::number_integer:
      return Value(j.get<int64_t>());
    case J::number_unsigned: {
      auto u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return Value(static_cast<double>(u));
      return Value(static_cast<int64_t>(u));
    }
    case J::number_float:
      return Value(j.get<double>());
    case J::string:
      return Value(j.get_ref<const std::string&>());
    case J::array: {
      auto l = std::make_shared<List>();
      l->items.reserve(j.size());
      for (const auto& e : j) {
        l->items.push_back(from_json(e, depth + 1));
        l->depth = std::max(l->depth, l->items.back().nesting() + 1);
      }
      return Value(std::move(l));
    }
    case J::object: {
      auto d = std::make_shared<Dict>();
      d->items.reserve(j.size());
      for (auto it = j.begin(); it != j.end(); ++it) {
        d->items.emplace_back(Value(it.key()), from_json(it.value(), depth + 1));
        d->depth = std::max(d->depth, d->items.back().second.nesting() + 1);
      }
      return Value(std::move(d));
    }
    default:
      return none();
  }
}

bool Value::truthy() const {
  switch (type_) {
    case Type::kUndefined:
    case Type::kNone:
      return false;
    case Type::kBool:
      return b_;
    case Type::kInt:
      return i_ != 0;
    case Type::kFloat:
      return f_ != 0;
    case Type::kString:
      return !s_.empty();
    case Type::kList:
      return !list().items.empty();
    case Type::kDict:
      return dict().is_namespace || !dict().items.empty();
    case Type::kFunction:
      return true;
  }
  return false;
}

void Value::append_to(std::string& out) const {
  switch (type_) {
    case Type::kUndefined:
      return;
    case Type::kString:
      out += s_;
      return;
    case Type::kInt:
      out += std::to_string(i_);
      return;
    default:
      out += to_string();
  }
}

std::string Value::to_string() const {
  switch (type_) {
    case Type::kUndefined:
      return "";
    case Type::kNone:
      return "None";
    case Type::kBool:
      return b_ ? "True" : "False";
    case Type::kInt:
      return std::to_string(i_);
    case Type::kFloat:
      return text::float_repr(f_);
    case Type::kString:
      return s_;
    case Type::kFunction:
      return "<function " + function().name + ">";
    default:
      return repr();
  }
}

std::string Value::repr() const {
  RecursionGuard guard;
  switch (type_) {
    case Type::kUndefined:
      return "Undefined";
    case Type::kString:
      return text::repr(s_);
    case Type::kList: {
      const List& l = list();
      std::string out = l.is_tuple ? "(" : "[";
      for (size_t i = 0; i < l.items.size(); ++i) {
        if (i) out += ", ";
        out += l.items[i].repr();
      }
      if (l.is_tuple && l.items.size() == 1) out += ",";
      return out + (l.is_tuple ? ")" : "]");
    }
    case Type::kDict: {
      const Dict& d = dict();
      std::string out = d.is_namespace ? "<Namespace {" : "{";
      for (size_t i = 0; i < d.items.size(); ++i) {
        if (i) out += ", ";
        out += d.items[i].first.repr() + ": " + d.items[i].second.repr();
      }
      return out + (d.is_namespace ? "}>" : "}");
    }
    default:
      return to_string();
  }
}

bool Value::equals(const Value& o) const {
  RecursionGuard guard;
  if (is_number() && o.is_number()) {
    if (type_ == Type::kFloat || o.type_ == Type::kFloat) return as_float() == o.as_float();
    return as_int() == o.as_int();
  }
  if (type_ != o.type_) return false;
  switch (type_) {
    case Type::kUndefined:
    case Type::kNone:
      return true;
    case Type::kString:
      return s_ == o.s_;
    case Type::kList: {
      const List& a = list();
      const List& b = o.list();
      if (a.is_tuple != b.is_tuple || a.items.size() != b.items.size()) return false;
      for (size_t i = 0; i < a.items.size(); ++i) {
        if (!a.items[i].equals(b.items[i])) return false;
      }
      return true;
    }
    case Type::kDict: {
      const Dict& a = dict();
      const Dict& b = o.dict();
      if (a.is_namespace || b.is_namespace) return obj_ == o.obj_;
      if (a.items.size() != b.items.size()) return false;
      for (const auto& [k, v] : a.items) {
        const Value* other = b.find(k);
        if (!other || !v.equals(*other)) return false;
      }
      return true;
    }
    default:
      return obj_ == o.obj_;
  }
}

bool Value::less(const Value& o) const {
  RecursionGuard guard;
  if (is_number() && o.is_number()) {
    if (type_ == Type::kFloat || o.type_ == Type::kFloat) return as_float() < o.as_float();
    return as_int() < o.as_int();
  }
  if (is_string() && o.is_string()) return s_ < o.s_;  // UTF-8 order is code point order
  if (is_list() && o.is_list() && list().is_tuple == o.list().is_tuple) {
    const auto& a = list().items;
    const auto& b = o.list().items;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
      if (!a[i].equals(b[i])) return a[i].less(b[i]);
    }
    return a.size() < b.size();
  }
  fail("'<' not supported between instances of '" + type_name() + "' and '" + o.type_name() +
       "'");
}

std::string Value::type_name() const {
  switch (type_) {
    case Type::kUndefined:
      return "Undefined";
    case Type::kNone:
      return "NoneType";
    case Type::kBool:
      return "bool";
    case Type::kInt:
      return "int";
    case Type::kFloat:
      return "float";
    case Type::kString:
      return "str";
    case Type::kList:
      return list().is_tuple ? "tuple" : "list";
    case Type::kDict:
      return dict().is_namespace ? "Namespace" : "dict";
    case Type::kFunction:
      return "function";
  }
  return "object";
}

const Value* Dict::find(const Value& key) const {
  if (key.is_string()) return find(std::string_view(key.str()));
  for (const auto& [k, v] : items) {
    if (k.equals(key)) return &v;
  }
  return nullptr;
}

const Value* Dict::find(std::string_view key) const {
  for (const auto& [k, v] : items) {
    if (k.is_string() && k.str() == key) return &v;
  }
  return nullptr;
}

void Dict::set(Value key, Value value) {
  uint32_t d = std::max(key.nesting(), value.nesting()) + 1;
  check_nesting(d);
  depth = std::max(depth, d);
  for (auto& [k, v] : items) {
    if (k.equals(key)) {
      v = std::move(value);
      return;
    }
  }
  items.emplace_back(std::move(key), std::move(value));
}

const Value* CallArgs::get(size_t index, std::string_view name) const {
  if (index < positional.size()) return &positional[index];
  for (const auto& [k, v] : keyword) {
    if (k == name) return &v;
  }
  return nullptr;
}

void CallArgs::expect(std::string_view fn, size_t max_positional,
                      std::initializer_list<std::string_view> keywords) const {
  if (positional.size() > max_positional) {
    fail(std::string(fn) + "() takes at most " + std::to_string(max_positional) +
         " positional arguments (" + std::to_string(positional.size()) + " given)");
  }
  for (const auto& [k, v] : keyword) {
    if (std::find(keywords.begin(), keywords.end(), k) == keywords.end()) {
      fail(std::string(fn) + "() got an unexpected keyword argument '" + k + "'");
    }
  }
}

}  // namespace cellar::jinja
