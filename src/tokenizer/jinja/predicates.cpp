// Jinja's builtin tests (`x is defined`, ...), jinja2/tests.py.
#include <unordered_map>

#include "tokenizer/jinja/builtins.h"
#include "tokenizer/jinja/builtins_util.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/text.h"

namespace cellar::jinja {

namespace {

const Value& other(const CallArgs& a, const char* name) { return arg_required(a, 0, name, "test"); }

int64_t int_operand(const Value& v, const char* test) {
  if (v.is_undefined()) fail("'" + v.str() + "' is undefined");
  if (!v.is_int()) fail(std::string("test '") + test + "' requires an integer, got " + v.type_name());
  return v.as_int();
}

bool t_defined(Interpreter&, const Value& v, CallArgs&) { return !v.is_undefined(); }
bool t_undefined(Interpreter&, const Value& v, CallArgs&) { return v.is_undefined(); }
bool t_none(Interpreter&, const Value& v, CallArgs&) { return v.is_none(); }
bool t_boolean(Interpreter&, const Value& v, CallArgs&) { return v.is_bool(); }
bool t_true(Interpreter&, const Value& v, CallArgs&) { return v.is_bool() && v.as_bool(); }
bool t_false(Interpreter&, const Value& v, CallArgs&) { return v.is_bool() && !v.as_bool(); }
bool t_string(Interpreter&, const Value& v, CallArgs&) { return v.is_string(); }
bool t_number(Interpreter&, const Value& v, CallArgs&) { return v.is_number(); }
bool t_integer(Interpreter&, const Value& v, CallArgs&) { return v.type() == Value::Type::kInt; }
bool t_float(Interpreter&, const Value& v, CallArgs&) { return v.type() == Value::Type::kFloat; }
bool t_mapping(Interpreter&, const Value& v, CallArgs&) { return v.is_dict() && !v.dict().is_namespace; }
bool t_callable(Interpreter&, const Value& v, CallArgs&) { return v.is_function(); }
bool t_iterable(Interpreter&, const Value& v, CallArgs&) {
  return v.is_undefined() || v.is_string() || v.is_list() || (v.is_dict() && !v.dict().is_namespace);
}
bool t_sequence(Interpreter& in, const Value& v, CallArgs& a) { return t_iterable(in, v, a); }
bool t_escaped(Interpreter&, const Value&, CallArgs&) { return false; }
bool t_odd(Interpreter&, const Value& v, CallArgs&) { return int_operand(v, "odd") % 2 != 0; }
bool t_even(Interpreter&, const Value& v, CallArgs&) { return int_operand(v, "even") % 2 == 0; }
bool t_divisibleby(Interpreter&, const Value& v, CallArgs& a) {
  int64_t d = int_operand(other(a, "num"), "divisibleby");
  if (d == 0) fail("integer division or modulo by zero");
  return int_operand(v, "divisibleby") % d == 0;
}
bool t_eq(Interpreter&, const Value& v, CallArgs& a) { return v.equals(other(a, "other")); }
bool t_ne(Interpreter&, const Value& v, CallArgs& a) { return !v.equals(other(a, "other")); }
bool t_lt(Interpreter&, const Value& v, CallArgs& a) { return v.less(other(a, "other")); }
bool t_le(Interpreter&, const Value& v, CallArgs& a) { return !other(a, "other").less(v); }
bool t_gt(Interpreter&, const Value& v, CallArgs& a) { return other(a, "other").less(v); }
bool t_ge(Interpreter&, const Value& v, CallArgs& a) { return !v.less(other(a, "other")); }
bool t_in(Interpreter&, const Value& v, CallArgs& a) { return contains(other(a, "seq"), v); }
bool t_sameas(Interpreter&, const Value& v, CallArgs& a) {
  const Value& o = other(a, "other");
  if (v.type() != o.type()) return false;
  if (v.object() || o.object()) return v.object() == o.object();
  return v.equals(o);
}
bool t_lower(Interpreter&, const Value& v, CallArgs&) {
  return v.is_string() && text::lower(v.str()) == v.str() && text::upper(v.str()) != v.str();
}
bool t_upper(Interpreter&, const Value& v, CallArgs&) {
  return v.is_string() && text::upper(v.str()) == v.str() && text::lower(v.str()) != v.str();
}
bool t_filter(Interpreter&, const Value& v, CallArgs&) { return v.is_string() && find_filter(v.str()); }
bool t_test(Interpreter&, const Value& v, CallArgs&) { return v.is_string() && find_test(v.str()); }

}  // namespace

TestFn find_test(std::string_view name) {
  static const std::unordered_map<std::string_view, TestFn> table = {
      {"boolean", t_boolean}, {"callable", t_callable}, {"defined", t_defined},
      {"divisibleby", t_divisibleby}, {"eq", t_eq}, {"equalto", t_eq}, {"==", t_eq},
      {"escaped", t_escaped}, {"even", t_even}, {"false", t_false}, {"filter", t_filter},
      {"float", t_float}, {"ge", t_ge}, {">=", t_ge}, {"gt", t_gt}, {">", t_gt},
      {"greaterthan", t_gt}, {"in", t_in}, {"integer", t_integer}, {"iterable", t_iterable},
      {"le", t_le}, {"<=", t_le}, {"lower", t_lower}, {"lt", t_lt}, {"<", t_lt},
      {"lessthan", t_lt}, {"mapping", t_mapping}, {"ne", t_ne}, {"!=", t_ne}, {"none", t_none},
      {"number", t_number}, {"odd", t_odd}, {"sameas", t_sameas}, {"sequence", t_sequence},
      {"string", t_string}, {"test", t_test}, {"true", t_true}, {"undefined", t_undefined},
      {"upper", t_upper},
  };
  auto it = table.find(name);
  return it == table.end() ? nullptr : it->second;
}

}  // namespace cellar::jinja
