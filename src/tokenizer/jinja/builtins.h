#pragma once
// Registries of Jinja filters, tests, globals and the methods Python's str,
// dict and list expose to sandboxed templates.
#include <string_view>

#include "tokenizer/jinja/value.h"

namespace cellar::jinja {

using FilterFn = Value (*)(Interpreter& in, const Value& value, CallArgs& args);
using TestFn = bool (*)(Interpreter& in, const Value& value, CallArgs& args);

// nullptr when there is no such filter/test (a template error at parse time).
FilterFn find_filter(std::string_view name);
TestFn find_test(std::string_view name);

// The globals every template sees: range, namespace, dict, raise_exception,
// strftime_now, joiner, cycler.
const Value* find_global(std::string_view name);

// `obj.name(...)` for builtin types; false when `obj` has no such method.
bool call_method(Interpreter& in, const Value& obj, const std::string& name, CallArgs& args,
                 Value* result);
// `obj.name` without a call: a bound method value, or false when none.
bool bound_method(const Value& obj, const std::string& name, Value* result);

}  // namespace cellar::jinja
