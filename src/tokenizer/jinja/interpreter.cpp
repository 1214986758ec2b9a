#include "tokenizer/jinja/interpreter.h"

#include <algorithm>

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/lexer.h"

namespace cellar::jinja {

namespace {
constexpr size_t kNoParent = static_cast<size_t>(-1);
}  // namespace

Interpreter::Interpreter(const std::string& source, const RenderLimits& limits)
    : source_(source), limits_(limits) {
  frames_.reserve(16);
}

Interpreter::~Interpreter() {
  frames_.clear();
  for (auto& ns : namespaces_) static_cast<Dict*>(ns.get())->items.clear();
}

std::string Interpreter::render(const Body& body, const nlohmann::ordered_json& context) {
  frames_.clear();
  frames_.push_back(Frame{{}, kNoParent});
  current_ = 0;
  if (context.is_object()) {
    auto& vars = frames_[0].vars;
    vars.reserve(context.size() + 8);
    for (auto it = context.begin(); it != context.end(); ++it) {
      vars.emplace_back(it.key(), Value::from_json(it.value()));
    }
  }
  std::string out;
  out.reserve(1024);
  exec_body(body, out);
  return out;
}

void Interpreter::charge(size_t steps) {
  steps_ += steps;
  if (steps_ > limits_.max_steps) fail("template exceeded its step budget (infinite or huge loop?)");
}

void Interpreter::check_size(size_t bytes) const {
  if (bytes > limits_.max_output_bytes) {
    fail("template output exceeds " + std::to_string(limits_.max_output_bytes) + " bytes");
  }
}

void Interpreter::rethrow_at(const TemplateError& e, size_t offset) const {
  if (e.kind() != TemplateError::Kind::kRuntime || e.line() > 0) throw e;
  int line = 0, col = 0;
  offset_to_position(source_, offset, &line, &col);
  throw TemplateError(TemplateError::Kind::kRuntime, e.message(), line, col);
}

void Interpreter::push_frame(size_t parent) {
  frames_.push_back(Frame{{}, parent});
  current_ = frames_.size() - 1;
}

void Interpreter::pop_frame(size_t previous) {
  frames_.pop_back();
  current_ = previous;
}

Value Interpreter::lookup(const std::string& name) const {
  for (size_t f = current_; f != kNoParent; f = frames_[f].parent) {
    for (const auto& [k, v] : frames_[f].vars) {
      if (k == name) return v;
    }
  }
  if (const Value* g = find_global(name)) return *g;
  return Value::undefined(name);
}

void Interpreter::assign(const std::string& name, Value v) {
  for (auto& [k, old] : frames_[current_].vars) {
    if (k == name) {
      old = std::move(v);
      return;
    }
  }
  frames_[current_].vars.emplace_back(name, std::move(v));
}

void Interpreter::unpack(const std::vector<std::string>& targets, const Value& v) {
  if (targets.size() == 1) {
    assign(targets[0], v);
    return;
  }
  std::vector<Value> items = iterate(v);
  if (items.size() < targets.size()) {
    fail("not enough values to unpack (expected " + std::to_string(targets.size()) + ", got " +
         std::to_string(items.size()) + ")");
  }
  if (items.size() > targets.size()) {
    fail("too many values to unpack (expected " + std::to_string(targets.size()) + ")");
  }
  for (size_t i = 0; i < targets.size(); ++i) assign(targets[i], std::move(items[i]));
}

Interpreter::Flow Interpreter::exec_body(const Body& body, std::string& out) {
  for (const auto& s : body) {
    Flow f = exec(*s, out);
    if (f != Flow::kNormal) return f;
  }
  return Flow::kNormal;
}

Interpreter::Flow Interpreter::exec(const Stmt& s, std::string& out) {
  charge(1);
  try {
    switch (s.kind) {
      case StmtKind::kText:
        out += s.text;
        check_size(out.size());
        return Flow::kNormal;
      case StmtKind::kOutput:
        eval(*s.expr).append_to(out);
        check_size(out.size());
        return Flow::kNormal;
      case StmtKind::kIf:
        for (const auto& [cond, body] : s.branches) {
          if (!cond || eval(*cond).truthy()) return exec_body(body, out);
        }
        return Flow::kNormal;
      case StmtKind::kFor:
        return exec_for(s, out);
      case StmtKind::kSet:
        exec_set(s);
        return Flow::kNormal;
      case StmtKind::kSetBlock:
        exec_set_block(s);
        return Flow::kNormal;
      case StmtKind::kMacro:
        assign(s.text, make_macro(s));
        return Flow::kNormal;
      case StmtKind::kCallBlock:
        exec_call_block(s, out);
        return Flow::kNormal;
      case StmtKind::kFilterBlock:
        apply_filter_chain(s.filters, Value(render_capture(s.body))).append_to(out);
        check_size(out.size());
        return Flow::kNormal;
      case StmtKind::kWith: {
        std::vector<Value> values;
        for (const auto& a : s.assignments) values.push_back(eval(*a.second));
        size_t previous = current_;
        push_frame(current_);
        for (size_t i = 0; i < values.size(); ++i) assign(s.assignments[i].first, std::move(values[i]));
        Flow f = exec_body(s.body, out);
        pop_frame(previous);
        return f;
      }
      case StmtKind::kScope:
        return exec_body(s.body, out);
      case StmtKind::kBreak:
        return Flow::kBreak;
      case StmtKind::kContinue:
        return Flow::kContinue;
    }
  } catch (const TemplateError& e) {
    rethrow_at(e, s.offset);
  }
  return Flow::kNormal;
}

namespace {

// The `loop` variable: one dict per loop, updated in place each iteration
// (its keys are built once).
struct LoopVar {
  Value value = Value::make_dict();
  std::shared_ptr<int64_t> index0 = std::make_shared<int64_t>(0);
  std::shared_ptr<Value> last_changed = std::make_shared<Value>();

  LoopVar(const std::vector<Value>& items, int depth) {
    Dict& d = value.dict();
    int64_t length = static_cast<int64_t>(items.size());
    for (const auto& item : items) d.depth = std::max(d.depth, item.nesting() + 1);
    for (const char* k : {"index", "index0", "revindex", "revindex0", "first", "last", "length",
                          "previtem", "nextitem", "depth", "depth0"}) {
      d.items.emplace_back(Value(k), Value());
    }
    d.items[6].second = Value(length);
    d.items[9].second = Value(static_cast<int64_t>(depth));
    d.items[10].second = Value(static_cast<int64_t>(depth - 1));
    auto idx = index0;
    d.items.emplace_back(Value("cycle"), Value::make_function("cycle", [idx](Interpreter&, CallArgs& a) {
      if (a.positional.empty()) fail("no items for cycling given");
      return a.positional[static_cast<size_t>(*idx) % a.positional.size()];
    }));
    auto last = last_changed;
    d.items.emplace_back(Value("changed"), Value::make_function("changed", [last](Interpreter&, CallArgs& a) {
      Value now = Value::make_list(a.positional);
      if (!last->is_undefined() && last->equals(now)) return Value(false);
      *last = now;
      return Value(true);
    }));
  }

  void update(const std::vector<Value>& items, size_t i) {
    auto& d = value.dict().items;
    int64_t n = static_cast<int64_t>(items.size());
    int64_t k = static_cast<int64_t>(i);
    *index0 = k;
    d[0].second = Value(k + 1);
    d[1].second = Value(k);
    d[2].second = Value(n - k);
    d[3].second = Value(n - k - 1);
    d[4].second = Value(k == 0);
    d[5].second = Value(k == n - 1);
    d[7].second = i > 0 ? items[i - 1] : Value::undefined("previtem");
    d[8].second = i + 1 < items.size() ? items[i + 1] : Value::undefined("nextitem");
  }
};

}  // namespace

Interpreter::Flow Interpreter::exec_for(const Stmt& s, std::string& out) {
  std::vector<Value> items = iterate(eval(*s.expr));
  size_t previous = current_;
  if (s.condition) {
    std::vector<Value> kept;
    push_frame(current_);
    for (auto& item : items) {
      charge(1);
      unpack(s.targets, item);
      if (eval(*s.condition).truthy()) kept.push_back(std::move(item));
    }
    pop_frame(previous);
    items = std::move(kept);
  }
  if (items.empty()) {
    return exec_body(s.else_body, out);
  }
  LoopVar loop(items, 1);  // depth grows only in recursive loops
  push_frame(current_);
  for (size_t i = 0; i < items.size(); ++i) {
    charge(1);
    frames_[current_].vars.clear();
    loop.update(items, i);
    unpack(s.targets, items[i]);
    assign("loop", loop.value);
    if (exec_body(s.body, out) == Flow::kBreak) break;
  }
  pop_frame(previous);
  return Flow::kNormal;
}

void Interpreter::exec_set(const Stmt& s) {
  Value v = eval(*s.expr);
  if (s.target_object) {
    Value obj = lookup(s.target_object->name);
    if (!obj.is_dict() || !obj.dict().is_namespace) {
      fail("cannot assign attribute on non-namespace object '" + s.target_object->name + "'");
    }
    obj.dict().set(Value(s.text), std::move(v));
    return;
  }
  unpack(s.targets, v);
}

void Interpreter::exec_set_block(const Stmt& s) {
  Value v = apply_filter_chain(s.filters, Value(render_capture(s.body)));
  if (s.target_object) {
    Value obj = lookup(s.target_object->name);
    if (!obj.is_dict() || !obj.dict().is_namespace) fail("cannot assign attribute on non-namespace object");
    obj.dict().set(Value(s.text), std::move(v));
    return;
  }
  assign(s.targets[0], std::move(v));
}

std::string Interpreter::render_capture(const Body& body) {
  std::string buf;
  size_t previous = current_;
  push_frame(current_);
  exec_body(body, buf);
  pop_frame(previous);
  return buf;
}

Value Interpreter::apply_filter_chain(const std::vector<ExprPtr>& filters, Value v) {
  for (const auto& f : filters) {
    CallArgs args = eval_args(*f, 1);
    v = f->filter_fn(*this, v, args);
  }
  return v;
}

Value Interpreter::make_macro(const Stmt& s) {
  const Stmt* stmt = &s;
  return Value::make_function(s.text, [stmt](Interpreter& in, CallArgs& args) {
    return in.call_macro(*stmt, args, nullptr);
  });
}

Value Interpreter::call_macro(const Stmt& s, CallArgs& args, const Value* caller) {
  if (call_depth_ >= limits_.max_call_depth) fail("maximum macro recursion depth exceeded");
  ++call_depth_;
  size_t previous = current_;
  push_frame(0);
  std::vector<Value> extra;
  for (size_t i = 0; i < s.params.size() || i < args.positional.size(); ++i) {
    if (i >= s.params.size()) {
      extra.push_back(args.positional[i]);
      continue;
    }
    const Value* given = args.get(i, s.params[i].name);
    if (given) assign(s.params[i].name, *given);
    else if (s.params[i].default_value) assign(s.params[i].name, eval(*s.params[i].default_value));
    else assign(s.params[i].name, Value::undefined(s.params[i].name));
  }
  Value kwargs = Value::make_dict();
  for (const auto& [k, v] : args.keyword) {
    bool is_param = false;
    for (const auto& p : s.params) is_param = is_param || p.name == k;
    if (k == "caller" && !caller) caller = &v;
    else if (!is_param) kwargs.dict().set(Value(k), v);
  }
  assign("varargs", Value::make_list(std::move(extra), true));
  assign("kwargs", kwargs);
  if (caller) assign("caller", *caller);
  std::string buf;
  try {
    exec_body(s.body, buf);
  } catch (...) {
    pop_frame(previous);
    --call_depth_;
    throw;
  }
  pop_frame(previous);
  --call_depth_;
  return Value(std::move(buf));
}

void Interpreter::exec_call_block(const Stmt& s, std::string& out) {
  const Stmt* stmt = &s;
  size_t frame = current_;
  Value caller = Value::make_function("caller", [stmt, frame](Interpreter& in, CallArgs& args) {
    if (in.call_depth_ >= in.limits_.max_call_depth) fail("maximum macro recursion depth exceeded");
    ++in.call_depth_;
    size_t previous = in.current_;
    in.push_frame(frame);
    for (size_t i = 0; i < stmt->params.size(); ++i) {
      const Value* given = args.get(i, stmt->params[i].name);
      if (given) in.assign(stmt->params[i].name, *given);
      else if (stmt->params[i].default_value) in.assign(stmt->params[i].name, in.eval(*stmt->params[i].default_value));
      else in.assign(stmt->params[i].name, Value::undefined(stmt->params[i].name));
    }
    std::string buf;
    try {
      in.exec_body(stmt->body, buf);
    } catch (...) {
      in.pop_frame(previous);
      --in.call_depth_;
      throw;
    }
    in.pop_frame(previous);
    --in.call_depth_;
    return Value(std::move(buf));
  });
  const Expr& call = *s.expr;
  Value fn = eval(*call.children[0]);
  CallArgs args = eval_args(call, 1);
  args.keyword.emplace_back("caller", caller);
  this->call(fn, args).append_to(out);
  check_size(out.size());
}

}  // namespace cellar::jinja
