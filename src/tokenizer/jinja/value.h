#pragma once
// The interpreter's value model: Python objects as Jinja templates see them.
// Lists, dicts and functions are shared by reference (as in Python); strings,
// numbers and flags are held inline.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cellar::jinja {

class Value;
class Interpreter;
struct CallArgs;

// Containers deeper than this are refused: printing, comparing and freeing
// them recurses, and Python itself stops near 1000 frames.
constexpr uint32_t kMaxNesting = 256;

struct List {
  std::vector<Value> items;
  bool is_tuple = false;  // printed "(a, b)" instead of "[a, b]"
  uint32_t depth = 1;     // 1 + deepest element; kept by make_list
};

struct Dict;

// A builtin, macro or bound method. `call` receives the interpreter so macros
// can render and nested calls share the step and depth budgets.
struct Function {
  std::string name;
  std::function<Value(Interpreter&, CallArgs&)> call;
};

class Value {
 public:
  enum class Type : uint8_t { kUndefined, kNone, kBool, kInt, kFloat, kString, kList, kDict, kFunction };

  Value() = default;  // Undefined
  static Value undefined(std::string name = {});
  static Value none();
  Value(bool b);
  Value(int64_t i);
  Value(int i) : Value(static_cast<int64_t>(i)) {}
  Value(double f);
  Value(std::string s);
  Value(std::string_view s) : Value(std::string(s)) {}
  Value(const char* s) : Value(std::string(s)) {}
  Value(std::shared_ptr<List> l);
  Value(std::shared_ptr<Dict> d);
  Value(std::shared_ptr<Function> f);
  static Value make_list(std::vector<Value> items = {}, bool is_tuple = false);
  static Value make_dict();
  static Value make_function(std::string name, std::function<Value(Interpreter&, CallArgs&)> fn);
  // Throws TemplateError when `j` nests deeper than kMaxNesting.
  static Value from_json(const nlohmann::ordered_json& j, uint32_t depth = 0);

  Type type() const { return type_; }
  bool is_undefined() const { return type_ == Type::kUndefined; }
  bool is_none() const { return type_ == Type::kNone; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_int() const { return type_ == Type::kInt || type_ == Type::kBool; }  // Python: bool is int
  bool is_number() const { return is_int() || type_ == Type::kFloat; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_list() const { return type_ == Type::kList; }
  bool is_dict() const { return type_ == Type::kDict; }
  bool is_function() const { return type_ == Type::kFunction; }

  bool as_bool() const { return b_; }
  int64_t as_int() const { return type_ == Type::kBool ? (b_ ? 1 : 0) : i_; }
  double as_float() const { return type_ == Type::kFloat ? f_ : static_cast<double>(as_int()); }
  const std::string& str() const { return s_; }  // string value, or the name of an undefined
  List& list() const { return *static_cast<List*>(obj_.get()); }
  Dict& dict() const { return *static_cast<Dict*>(obj_.get()); }
  Function& function() const { return *static_cast<Function*>(obj_.get()); }
  const std::shared_ptr<void>& object() const { return obj_; }
  // Container nesting depth (0 for scalars).
  uint32_t nesting() const;

  // Python truthiness (Undefined is false).
  bool truthy() const;
  // Python str(): what `{{ value }}` prints.
  std::string to_string() const;
  void append_to(std::string& out) const;
  // Python repr(): how the value prints inside a list or dict.
  std::string repr() const;
  // Python ==.
  bool equals(const Value& other) const;
  // Python <: throws TemplateError on unorderable types.
  bool less(const Value& other) const;
  std::string type_name() const;  // Python's name: "NoneType", "str", "dict", ...

 private:
  Type type_ = Type::kUndefined;
  bool b_ = false;
  int64_t i_ = 0;
  double f_ = 0;
  std::string s_;
  std::shared_ptr<void> obj_;
};

// Insertion-ordered mapping, like a Python dict. Real templates' dicts are
// small (message fields), so lookup is a linear scan.
struct Dict {
  std::vector<std::pair<Value, Value>> items;
  bool is_namespace = false;  // namespace(): the only object `set x.attr` may change
  uint32_t depth = 1;         // 1 + deepest value; kept by set()

  const Value* find(const Value& key) const;
  const Value* find(std::string_view key) const;
  const Value* find(const char* key) const { return find(std::string_view(key)); }
  // Inserts or replaces; throws TemplateError past kMaxNesting.
  void set(Value key, Value value);
};

// Raises depth by one for the duration of a recursive walk (repr, ==, <,
// JSON); throws TemplateError when a value nests too deeply or contains itself.
class RecursionGuard {
 public:
  RecursionGuard();
  ~RecursionGuard();
  RecursionGuard(const RecursionGuard&) = delete;
  RecursionGuard& operator=(const RecursionGuard&) = delete;
};

// Arguments of one call: positional, then keyword (in call order).
struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keyword;

  // The argument at `index` or named `name`; nullptr when not given.
  const Value* get(size_t index, std::string_view name) const;
  // Throws when more than `max_positional` positionals or an unknown keyword is given.
  void expect(std::string_view fn, size_t max_positional,
              std::initializer_list<std::string_view> keywords) const;
};

}  // namespace cellar::jinja
