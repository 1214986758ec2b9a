#pragma once
// Tree-walking renderer for a parsed template. One Interpreter renders one
// template once; it holds the variable scopes and the budgets that stop
// hostile templates (step count, output size, call depth).
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tokenizer/jinja/ast.h"
#include "tokenizer/jinja/error.h"

namespace cellar::jinja {

struct RenderLimits {
  size_t max_output_bytes = 16u << 20;
  size_t max_steps = 5'000'000;       // statements, loop iterations and copied elements
  size_t max_sequence = 1u << 20;     // elements in one list or iterated string
  int max_call_depth = 100;           // nested macro calls
};

class Interpreter {
 public:
  Interpreter(const std::string& source, const RenderLimits& limits);
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  std::string render(const Body& body, const nlohmann::ordered_json& context);

  // Services for builtins (filters, methods, globals).
  Value call(const Value& fn, CallArgs& args);
  Value get_attr(const Value& obj, const std::string& name);
  Value get_item(const Value& obj, const Value& key);
  // Elements of an iterable (list items, dict keys, string characters);
  // Undefined iterates as empty, None and numbers raise.
  std::vector<Value> iterate(const Value& v);
  void charge(size_t steps);
  void check_size(size_t bytes) const;
  // Namespaces are the only mutable objects, so the only way to build a
  // reference cycle; they are emptied when rendering ends to free any cycle.
  void track_namespace(const Value& ns) { namespaces_.push_back(ns.object()); }
  const RenderLimits& limits() const { return limits_; }

 private:
  enum class Flow { kNormal, kBreak, kContinue };
  struct Frame {
    std::vector<std::pair<std::string, Value>> vars;
    size_t parent;  // index of the enclosing frame; npos for the root
  };

  const std::string& source_;
  RenderLimits limits_;
  size_t steps_ = 0;
  int call_depth_ = 0;
  std::vector<Frame> frames_;
  std::vector<std::shared_ptr<void>> namespaces_;
  size_t current_ = 0;

  [[noreturn]] void rethrow_at(const TemplateError& e, size_t offset) const;

  // Scopes.
  void push_frame(size_t parent);
  void pop_frame(size_t previous);
  Value lookup(const std::string& name) const;
  void assign(const std::string& name, Value v);
  void unpack(const std::vector<std::string>& targets, const Value& v);

  // Statements.
  Flow exec_body(const Body& body, std::string& out);
  Flow exec(const Stmt& s, std::string& out);
  Flow exec_for(const Stmt& s, std::string& out);
  void exec_set(const Stmt& s);
  void exec_set_block(const Stmt& s);
  Value make_macro(const Stmt& s);
  Value call_macro(const Stmt& s, CallArgs& args, const Value* caller);
  void exec_call_block(const Stmt& s, std::string& out);
  std::string render_capture(const Body& body);
  Value apply_filter_chain(const std::vector<ExprPtr>& filters, Value v);

  // Expressions.
  Value eval(const Expr& e);
  CallArgs eval_args(const Expr& e, size_t first_arg);
  Value eval_call(const Expr& e);
  Value eval_slice(const Expr& e);
  Value eval_compare(const Expr& e);
};

// Python operators, shared with filters (sum) and tests.
Value binary_op(BinOp op, const Value& a, const Value& b, Interpreter& in);
bool contains(const Value& container, const Value& item);

}  // namespace cellar::jinja
