// Expression evaluation for Interpreter: Python operator semantics and
// Jinja's attribute/item lookup rules (jinja2/environment.py getattr/getitem).
#include <cmath>

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/interpreter.h"
#include "tokenizer/jinja/text.h"

namespace cellar::jinja {

namespace {

[[noreturn]] void undefined_error(const Value& v) {
  fail(v.str().empty() ? std::string("value is undefined") : "'" + v.str() + "' is undefined");
}

template <typename Op>
int64_t checked_op(Op op, int64_t x, int64_t y) {
  int64_t r = 0;
  if (op(x, y, &r)) fail("integer overflow");
  return r;
}

// Python's % formatting for the common conversions (%s %d %i %r %f %%).
std::string percent_format(const std::string& fmt, const Value& args) {
  std::vector<Value> vals;
  if (args.is_list() && args.list().is_tuple) vals = args.list().items;
  else vals.push_back(args);
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      out.push_back(fmt[i]);
      continue;
    }
    if (++i >= fmt.size()) fail("incomplete format");
    std::string spec;
    while (i < fmt.size() && std::strchr("-+ #0123456789.", fmt[i])) spec.push_back(fmt[i++]);
    if (i >= fmt.size()) fail("incomplete format");
    char conv = fmt[i];
    if (conv == '%') {
      out.push_back('%');
      continue;
    }
    if (next >= vals.size()) fail("not enough arguments for format string");
    const Value& v = vals[next++];
    char buf[512];
    if (conv == 's' || conv == 'r') {
      std::string s = conv == 's' ? v.to_string() : v.repr();
      if (s.size() > 400) { out += s; continue; }
      std::snprintf(buf, sizeof buf, ("%" + spec + "s").c_str(), s.c_str());
    } else if (conv == 'd' || conv == 'i') {
      if (!v.is_number()) fail("%d format: a real number is required, not " + v.type_name());
      std::snprintf(buf, sizeof buf, ("%" + spec + "lld").c_str(),
                    static_cast<long long>(v.is_int() ? v.as_int() : static_cast<int64_t>(v.as_float())));
    } else if (conv == 'f' || conv == 'e' || conv == 'g' || conv == 'x' || conv == 'X') {
      if (!v.is_number()) fail("format requires a number, not " + v.type_name());
      if (conv == 'x' || conv == 'X') {
        std::snprintf(buf, sizeof buf, ("%" + spec + "ll" + conv).c_str(), static_cast<long long>(v.as_int()));
      } else {
        std::snprintf(buf, sizeof buf, ("%" + spec + conv).c_str(), v.as_float());
      }
    } else {
      fail(std::string("unsupported format character '") + conv + "'");
    }
    out += buf;
  }
  if (next < vals.size()) fail("not all arguments converted during string formatting");
  return out;
}

Value repeat(const Value& seq, int64_t n, Interpreter& in) {
  if (n < 0) n = 0;
  if (seq.is_string()) {
    in.check_size(seq.str().size() * static_cast<size_t>(n));
    in.charge(seq.str().size() * static_cast<size_t>(n) / 64);
    std::string out;
    out.reserve(seq.str().size() * n);
    for (int64_t i = 0; i < n; ++i) out += seq.str();
    return Value(std::move(out));
  }
  const auto& items = seq.list().items;
  if (items.size() * static_cast<size_t>(n) > in.limits().max_sequence) fail("sequence too long");
  in.charge(items.size() * static_cast<size_t>(n));
  std::vector<Value> out;
  for (int64_t i = 0; i < n; ++i) out.insert(out.end(), items.begin(), items.end());
  return Value::make_list(std::move(out), seq.list().is_tuple);
}

const char* op_symbol(BinOp op) {
  switch (op) {
    case BinOp::kAdd: return "+";
    case BinOp::kSub: return "-";
    case BinOp::kMul: return "*";
    case BinOp::kDiv: return "/";
    case BinOp::kFloorDiv: return "//";
    case BinOp::kMod: return "%";
    case BinOp::kPow: return "**";
  }
  return "?";
}

Value numeric_op(BinOp op, const Value& a, const Value& b) {
  bool ints = a.is_int() && b.is_int();
  if (ints) {
    int64_t x = a.as_int(), y = b.as_int();
    auto add = [](int64_t p, int64_t q, int64_t* r) { return __builtin_add_overflow(p, q, r); };
    auto sub = [](int64_t p, int64_t q, int64_t* r) { return __builtin_sub_overflow(p, q, r); };
    auto mul = [](int64_t p, int64_t q, int64_t* r) { return __builtin_mul_overflow(p, q, r); };
    switch (op) {
      case BinOp::kAdd: return Value(checked_op(add, x, y));
      case BinOp::kSub: return Value(checked_op(sub, x, y));
      case BinOp::kMul: return Value(checked_op(mul, x, y));
      case BinOp::kDiv:
        if (y == 0) fail("division by zero");
        return Value(static_cast<double>(x) / static_cast<double>(y));
      case BinOp::kFloorDiv:
      case BinOp::kMod: {
        if (y == 0) fail("integer division or modulo by zero");
        if (x == INT64_MIN && y == -1) fail("integer overflow");
        int64_t q = x / y, m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) {
          --q;
          m += y;
        }
        return Value(op == BinOp::kFloorDiv ? q : m);
      }
      case BinOp::kPow: {
        if (y < 0) return Value(std::pow(static_cast<double>(x), static_cast<double>(y)));
        int64_t result = 1;
        for (int64_t i = 0; i < y; ++i) {
          if (__builtin_mul_overflow(result, x, &result)) fail("integer overflow");
          if (result == 0 || result == 1) break;
        }
        if (result == 1 && x == -1 && y % 2 == 1) result = -1;
        return Value(result);
      }
    }
  }
  double x = a.as_float(), y = b.as_float();
  switch (op) {
    case BinOp::kAdd: return Value(x + y);
    case BinOp::kSub: return Value(x - y);
    case BinOp::kMul: return Value(x * y);
    case BinOp::kDiv:
      if (y == 0) fail("float division by zero");
      return Value(x / y);
    case BinOp::kFloorDiv:
      if (y == 0) fail("float floor division by zero");
      return Value(std::floor(x / y));
    case BinOp::kMod: {
      if (y == 0) fail("float modulo");
      double m = std::fmod(x, y);
      if (m != 0 && ((m < 0) != (y < 0))) m += y;
      return Value(m);
    }
    case BinOp::kPow: return Value(std::pow(x, y));
  }
  return Value();
}

}  // namespace

Value binary_op(BinOp op, const Value& a, const Value& b, Interpreter& in) {
  if (a.is_undefined()) undefined_error(a);
  if (b.is_undefined()) undefined_error(b);
  if (a.is_number() && b.is_number()) return numeric_op(op, a, b);
  if (op == BinOp::kAdd && a.is_string() && b.is_string()) {
    in.check_size(a.str().size() + b.str().size());
    in.charge((a.str().size() + b.str().size()) / 64);
    return Value(a.str() + b.str());
  }
  if (op == BinOp::kAdd && a.is_list() && b.is_list() && a.list().is_tuple == b.list().is_tuple) {
    const auto& x = a.list().items;
    const auto& y = b.list().items;
    if (x.size() + y.size() > in.limits().max_sequence) fail("sequence too long");
    in.charge(x.size() + y.size());
    std::vector<Value> out(x);
    out.insert(out.end(), y.begin(), y.end());
    return Value::make_list(std::move(out), a.list().is_tuple);
  }
  if (op == BinOp::kMul && (a.is_string() || a.is_list()) && b.is_int()) return repeat(a, b.as_int(), in);
  if (op == BinOp::kMul && (b.is_string() || b.is_list()) && a.is_int()) return repeat(b, a.as_int(), in);
  if (op == BinOp::kMod && a.is_string()) return Value(percent_format(a.str(), b));
  if (op == BinOp::kAdd && a.is_string()) {
    fail("can only concatenate str (not \"" + b.type_name() + "\") to str");
  }
  fail(std::string("unsupported operand type(s) for ") + op_symbol(op) + ": '" + a.type_name() +
       "' and '" + b.type_name() + "'");
}

bool contains(const Value& container, const Value& item) {
  switch (container.type()) {
    case Value::Type::kUndefined:
      return false;
    case Value::Type::kString:
      if (!item.is_string()) {
        fail("'in <string>' requires string as left operand, not " + item.type_name());
      }
      return container.str().find(item.str()) != std::string::npos;
    case Value::Type::kList:
      for (const auto& v : container.list().items) {
        if (v.equals(item)) return true;
      }
      return false;
    case Value::Type::kDict:
      return container.dict().find(item) != nullptr;
    default:
      fail("argument of type '" + container.type_name() + "' is not iterable");
  }
}

Value Interpreter::call(const Value& fn, CallArgs& args) {
  if (fn.is_undefined()) undefined_error(fn);
  if (!fn.is_function()) fail("'" + fn.type_name() + "' object is not callable");
  return fn.function().call(*this, args);
}

Value Interpreter::get_attr(const Value& obj, const std::string& name) {
  if (obj.is_undefined()) undefined_error(obj);
  Value method;
  if (obj.is_dict() && !obj.dict().is_namespace) {
    if (bound_method(obj, name, &method)) return method;
    const Value* v = obj.dict().find(std::string_view(name));
    return v ? *v : Value::undefined(name);
  }
  if (obj.is_dict()) {
    const Value* v = obj.dict().find(std::string_view(name));
    return v ? *v : Value::undefined(name);
  }
  if (bound_method(obj, name, &method)) return method;
  return Value::undefined(name);
}

Value Interpreter::get_item(const Value& obj, const Value& key) {
  if (obj.is_undefined()) undefined_error(obj);
  if (obj.is_dict()) {
    const Value* v = obj.dict().find(key);
    if (v) return *v;
  } else if ((obj.is_list() || obj.is_string()) && key.is_int()) {
    int64_t i = key.as_int();
    if (obj.is_list()) {
      int64_t n = static_cast<int64_t>(obj.list().items.size());
      if (i < 0) i += n;
      if (i >= 0 && i < n) return obj.list().items[static_cast<size_t>(i)];
    } else if (text::is_ascii(obj.str())) {
      int64_t n = static_cast<int64_t>(obj.str().size());
      if (i < 0) i += n;
      if (i >= 0 && i < n) return Value(obj.str().substr(static_cast<size_t>(i), 1));
    } else {
      std::u32string u = text::decode(obj.str());
      int64_t n = static_cast<int64_t>(u.size());
      if (i < 0) i += n;
      if (i >= 0 && i < n) return Value(text::encode(u.substr(static_cast<size_t>(i), 1)));
    }
    return Value::undefined();
  }
  if (key.is_string()) {
    Value method;
    if (!(obj.is_dict() && obj.dict().is_namespace) && bound_method(obj, key.str(), &method)) return method;
    return Value::undefined(key.str());
  }
  return Value::undefined();
}

std::vector<Value> Interpreter::iterate(const Value& v) {
  switch (v.type()) {
    case Value::Type::kUndefined:
      return {};
    case Value::Type::kList:
      charge(v.list().items.size());
      return v.list().items;
    case Value::Type::kDict: {
      std::vector<Value> keys;
      for (const auto& kv : v.dict().items) keys.push_back(kv.first);
      charge(keys.size());
      return keys;
    }
    case Value::Type::kString: {
      std::vector<Value> chars;
      std::u32string u = text::decode(v.str());
      if (u.size() > limits_.max_sequence) fail("sequence too long");
      charge(u.size());
      chars.reserve(u.size());
      for (char32_t c : u) {
        std::string s;
        text::append_code_point(s, c);
        chars.emplace_back(std::move(s));
      }
      return chars;
    }
    default:
      fail("'" + v.type_name() + "' object is not iterable");
  }
}

CallArgs Interpreter::eval_args(const Expr& e, size_t first_arg) {
  CallArgs args;
  args.positional.reserve(e.children.size() - first_arg);
  for (size_t i = first_arg; i < e.children.size(); ++i) args.positional.push_back(eval(*e.children[i]));
  if (e.star_args) {
    for (auto& v : iterate(eval(*e.star_args))) args.positional.push_back(std::move(v));
  }
  for (const auto& [k, v] : e.kwargs) args.keyword.emplace_back(k, eval(*v));
  if (e.star_kwargs) {
    Value d = eval(*e.star_kwargs);
    if (!d.is_dict()) fail("argument after ** must be a mapping, not " + d.type_name());
    for (const auto& [k, v] : d.dict().items) args.keyword.emplace_back(k.to_string(), v);
  }
  return args;
}

Value Interpreter::eval_call(const Expr& e) {
  const Expr& callee = *e.children[0];
  if (callee.kind == ExprKind::kAttr) {
    Value obj = eval(*callee.children[0]);
    if (obj.is_undefined()) undefined_error(obj);
    CallArgs args = eval_args(e, 1);
    Value result;
    if (!(obj.is_dict() && obj.dict().is_namespace) && call_method(*this, obj, callee.name, args, &result)) {
      return result;
    }
    return call(get_attr(obj, callee.name), args);
  }
  Value fn = eval(callee);
  CallArgs args = eval_args(e, 1);
  return call(fn, args);
}

Value Interpreter::eval_slice(const Expr& e) {
  Value obj = eval(*e.children[0]);
  if (obj.is_undefined()) undefined_error(obj);
  auto bound = [&](size_t i) -> std::optional<int64_t> {
    if (!e.children[i]) return std::nullopt;
    Value v = eval(*e.children[i]);
    if (v.is_none()) return std::nullopt;
    if (!v.is_int()) fail("slice indices must be integers or None");
    return v.as_int();
  };
  std::optional<int64_t> start = bound(1), stop = bound(2), step_opt = bound(3);
  int64_t step = step_opt.value_or(1);
  if (step == 0) fail("slice step cannot be zero");
  if (!obj.is_list() && !obj.is_string()) return Value::undefined();
  bool ascii = obj.is_string() && text::is_ascii(obj.str());
  std::u32string u = obj.is_string() && !ascii ? text::decode(obj.str()) : std::u32string();
  int64_t n = obj.is_list() ? static_cast<int64_t>(obj.list().items.size())
                            : ascii ? static_cast<int64_t>(obj.str().size()) : static_cast<int64_t>(u.size());
  // Python's PySlice_AdjustIndices.
  auto adjust = [&](std::optional<int64_t> v, int64_t dflt) {
    if (!v) return dflt;
    int64_t x = *v;
    if (x < 0) x = std::max<int64_t>(x + n, step < 0 ? -1 : 0);
    else if (x >= n) x = step < 0 ? n - 1 : n;
    return x;
  };
  int64_t b = adjust(start, step < 0 ? n - 1 : 0);
  int64_t end = adjust(stop, step < 0 ? -1 : n);
  std::vector<Value> items;
  std::string s;
  for (int64_t i = b; step > 0 ? i < end : i > end; i += step) {
    if (obj.is_list()) items.push_back(obj.list().items[static_cast<size_t>(i)]);
    else if (ascii) s.push_back(obj.str()[static_cast<size_t>(i)]);
    else text::append_code_point(s, u[static_cast<size_t>(i)]);
  }
  charge(static_cast<size_t>(std::max<int64_t>(0, (end - b) / step)));
  if (obj.is_list()) return Value::make_list(std::move(items), obj.list().is_tuple);
  return Value(std::move(s));
}

Value Interpreter::eval_compare(const Expr& e) {
  Value left = eval(*e.children[0]);
  for (size_t i = 0; i < e.cmp_ops.size(); ++i) {
    Value right = eval(*e.children[i + 1]);
    bool ok = false;
    switch (e.cmp_ops[i]) {
      case CmpOp::kEq: ok = left.equals(right); break;
      case CmpOp::kNe: ok = !left.equals(right); break;
      case CmpOp::kLt: ok = left.less(right); break;
      case CmpOp::kLe: ok = !right.less(left); break;
      case CmpOp::kGt: ok = right.less(left); break;
      case CmpOp::kGe: ok = !left.less(right); break;
      case CmpOp::kIn: ok = contains(right, left); break;
      case CmpOp::kNotIn: ok = !contains(right, left); break;
    }
    if (!ok) return Value(false);
    left = std::move(right);
  }
  return Value(true);
}

Value Interpreter::eval(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kConst: return e.value;
    case ExprKind::kName: return lookup(e.name);
    case ExprKind::kList:
    case ExprKind::kTuple: {
      std::vector<Value> items;
      items.reserve(e.children.size());
      for (const auto& c : e.children) items.push_back(eval(*c));
      return Value::make_list(std::move(items), e.kind == ExprKind::kTuple);
    }
    case ExprKind::kDict: {
      Value d = Value::make_dict();
      for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
        Value k = eval(*e.children[i]);
        d.dict().set(std::move(k), eval(*e.children[i + 1]));
      }
      return d;
    }
    case ExprKind::kAttr: return get_attr(eval(*e.children[0]), e.name);
    case ExprKind::kItem: {
      Value obj = eval(*e.children[0]);
      return get_item(obj, eval(*e.children[1]));
    }
    case ExprKind::kSlice: return eval_slice(e);
    case ExprKind::kCall: return eval_call(e);
    case ExprKind::kFilter: {
      Value v = eval(*e.children[0]);
      CallArgs args = eval_args(e, 1);
      return e.filter_fn(*this, v, args);
    }
    case ExprKind::kTest: {
      Value v = eval(*e.children[0]);
      CallArgs args = eval_args(e, 1);
      return Value(e.test_fn(*this, v, args) != e.negated);
    }
    case ExprKind::kNot: return Value(!eval(*e.children[0]).truthy());
    case ExprKind::kNeg:
    case ExprKind::kPos: {
      Value v = eval(*e.children[0]);
      if (v.is_undefined()) undefined_error(v);
      if (!v.is_number()) fail(std::string("bad operand type for unary ") + (e.kind == ExprKind::kNeg ? "-" : "+") + ": '" + v.type_name() + "'");
      if (e.kind == ExprKind::kPos) return v.is_bool() ? Value(v.as_int()) : v;
      if (v.is_int()) {
        if (v.as_int() == INT64_MIN) fail("integer overflow");
        return Value(-v.as_int());
      }
      return Value(-v.as_float());
    }
    case ExprKind::kBinary: {
      Value a = eval(*e.children[0]);
      return binary_op(e.op, a, eval(*e.children[1]), *this);
    }
    case ExprKind::kCompare: return eval_compare(e);
    case ExprKind::kAnd: {
      Value a = eval(*e.children[0]);
      return a.truthy() ? eval(*e.children[1]) : a;
    }
    case ExprKind::kOr: {
      Value a = eval(*e.children[0]);
      return a.truthy() ? a : eval(*e.children[1]);
    }
    case ExprKind::kConcat: {
      std::string s;
      for (const auto& c : e.children) eval(*c).append_to(s);
      check_size(s.size());
      return Value(std::move(s));
    }
    case ExprKind::kCond:
      if (eval(*e.children[1]).truthy()) return eval(*e.children[0]);
      return e.children[2] ? eval(*e.children[2]) : Value::undefined();
  }
  return Value();
}

}  // namespace cellar::jinja
