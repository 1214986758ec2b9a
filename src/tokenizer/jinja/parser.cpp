#include "tokenizer/jinja/parser.h"

#include <algorithm>
#include <initializer_list>

#include "tokenizer/jinja/error.h"

namespace cellar::jinja {

namespace {

// Deeper nesting than any real template, shallow enough for the C++ stack.
constexpr int kMaxParseDepth = 200;

class Parser {
 public:
  Parser(const std::string& source, std::vector<Token> tokens)
      : source_(source), toks_(std::move(tokens)) {}

  Body parse_all() {
    Body body = parse_body({}, "");
    if (cur().type != TokenType::kEof) fail_at(cur(), "unexpected '" + cur().value + "'");
    return body;
  }

 private:
  const std::string& source_;
  std::vector<Token> toks_;
  size_t i_ = 0;
  int depth_ = 0;

  struct DepthGuard {
    Parser& p;
    explicit DepthGuard(Parser& parser) : p(parser) {
      if (++p.depth_ > kMaxParseDepth) p.fail_at(p.cur(), "template nested too deeply");
    }
    ~DepthGuard() { --p.depth_; }
  };

  const Token& cur() const { return toks_[i_]; }
  const Token& peek(size_t n = 1) const { return toks_[std::min(i_ + n, toks_.size() - 1)]; }
  void advance() {
    if (i_ + 1 < toks_.size()) ++i_;
  }

  [[noreturn]] void fail_at(const Token& t, const std::string& msg) const {
    int line = 0, col = 0;
    offset_to_position(source_, t.offset, &line, &col);
    throw TemplateError(TemplateError::Kind::kSyntax, msg, line, col);
  }

  static std::string describe(const Token& t) {
    switch (t.type) {
      case TokenType::kEof: return "end of template";
      case TokenType::kVarEnd: return "end of print statement";
      case TokenType::kBlockEnd: return "end of statement block";
      case TokenType::kString: return "string";
      default: return "'" + t.value + "'";
    }
  }

  bool is_op(const char* op) const { return cur().type == TokenType::kOperator && cur().value == op; }
  bool is_name(const char* name) const { return cur().type == TokenType::kName && cur().value == name; }
  bool skip_op(const char* op) {
    if (!is_op(op)) return false;
    advance();
    return true;
  }
  bool skip_name(const char* name) {
    if (!is_name(name)) return false;
    advance();
    return true;
  }
  void expect_op(const char* op) {
    if (!skip_op(op)) fail_at(cur(), std::string("expected '") + op + "', got " + describe(cur()));
  }
  std::string expect_name() {
    if (cur().type != TokenType::kName) fail_at(cur(), "expected a name, got " + describe(cur()));
    std::string n = cur().value;
    advance();
    return n;
  }
  void expect_block_end() {
    if (cur().type != TokenType::kBlockEnd) fail_at(cur(), "expected end of statement block, got " + describe(cur()));
    advance();
  }

  ExprPtr node(ExprKind kind, size_t offset) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->offset = offset;
    return e;
  }

  // ---- statements ----

  // Parses until a block tag named in `ends` (left unconsumed after `{%`).
  Body parse_body(std::initializer_list<const char*> ends, const char* opener) {
    Body body;
    while (true) {
      const Token& t = cur();
      if (t.type == TokenType::kEof) {
        if (ends.size() == 0) return body;
        std::string want;
        for (const char* e : ends) want += std::string(want.empty() ? "" : " or ") + "'" + e + "'";
        fail_at(t, std::string("unexpected end of template: looking for ") + want +
                       " to close '" + opener + "'");
      }
      if (t.type == TokenType::kText) {
        auto s = std::make_unique<Stmt>();
        s->kind = StmtKind::kText;
        s->text = t.value;
        body.push_back(std::move(s));
        advance();
      } else if (t.type == TokenType::kVarBegin) {
        auto s = std::make_unique<Stmt>();
        s->kind = StmtKind::kOutput;
        s->offset = t.offset;
        advance();
        s->expr = parse_tuple(true, false);
        if (cur().type != TokenType::kVarEnd) fail_at(cur(), "expected end of print statement, got " + describe(cur()));
        advance();
        body.push_back(std::move(s));
      } else if (t.type == TokenType::kBlockBegin) {
        const Token& kw = peek();
        for (const char* e : ends) {
          if (kw.type == TokenType::kName && kw.value == e) {
            advance();
            return body;
          }
        }
        advance();
        body.push_back(parse_statement());
      } else {
        fail_at(t, "unexpected " + describe(t));
      }
    }
  }

  StmtPtr parse_statement() {
    DepthGuard guard(*this);
    const Token& kw = cur();
    if (kw.type != TokenType::kName) fail_at(kw, "tag name expected");
    auto s = std::make_unique<Stmt>();
    s->offset = kw.offset;
    std::string name = kw.value;
    advance();
    if (name == "if") return parse_if(std::move(s));
    if (name == "for") return parse_for(std::move(s));
    if (name == "set") return parse_set(std::move(s));
    if (name == "macro") return parse_macro(std::move(s));
    if (name == "call") return parse_call_block(std::move(s));
    if (name == "filter") return parse_filter_block(std::move(s));
    if (name == "with") return parse_with(std::move(s));
    if (name == "generation") {
      s->kind = StmtKind::kScope;
      expect_block_end();
      s->body = parse_body({"endgeneration"}, "generation");
      return end_block(std::move(s));
    }
    if (name == "break" || name == "continue") {
      s->kind = name == "break" ? StmtKind::kBreak : StmtKind::kContinue;
      expect_block_end();
      return s;
    }
    fail_at(kw, "unknown tag '" + name + "'");
  }

  StmtPtr end_block(StmtPtr s) {
    advance();  // the end tag's name
    expect_block_end();
    return s;
  }

  StmtPtr parse_if(StmtPtr s) {
    s->kind = StmtKind::kIf;
    ExprPtr cond = parse_tuple(false, false);
    while (true) {
      expect_block_end();
      Body body = parse_body({"elif", "else", "endif"}, "if");
      s->branches.emplace_back(std::move(cond), std::move(body));
      std::string tag = cur().value;
      advance();
      if (tag == "elif") {
        cond = parse_tuple(false, false);
        continue;
      }
      if (tag == "else") {
        expect_block_end();
        s->branches.emplace_back(nullptr, parse_body({"endif"}, "if"));
        advance();
      }
      expect_block_end();
      return s;
    }
  }

  std::vector<std::string> parse_targets() {
    std::vector<std::string> names;
    bool parens = skip_op("(");
    do {
      names.push_back(expect_name());
    } while (skip_op(",") && cur().type == TokenType::kName);
    if (parens) expect_op(")");
    return names;
  }

  StmtPtr parse_for(StmtPtr s) {
    s->kind = StmtKind::kFor;
    s->targets = parse_targets();
    if (!skip_name("in")) fail_at(cur(), "expected 'in', got " + describe(cur()));
    s->expr = parse_tuple(false, false, "recursive");
    if (skip_name("if")) s->condition = parse_expression(true);
    if (skip_name("recursive")) s->recursive = true;
    expect_block_end();
    s->body = parse_body({"endfor", "else"}, "for");
    if (cur().value == "else") {
      advance();
      expect_block_end();
      s->else_body = parse_body({"endfor"}, "for");
    }
    return end_block(std::move(s));
  }

  StmtPtr parse_set(StmtPtr s) {
    size_t at = cur().offset;
    if (cur().type == TokenType::kName && peek().type == TokenType::kOperator && peek().value == ".") {
      s->target_object = node(ExprKind::kName, at);
      s->target_object->name = expect_name();
      advance();
      s->text = expect_name();
    } else {
      s->targets = parse_targets();
    }
    if (skip_op("=")) {
      s->kind = StmtKind::kSet;
      s->expr = parse_tuple(true, false);
      expect_block_end();
      return s;
    }
    if (s->targets.size() != 1) fail_at(cur(), "expected '='");
    s->kind = StmtKind::kSetBlock;
    while (skip_op("|")) s->filters.push_back(parse_filter(nullptr));
    expect_block_end();
    s->body = parse_body({"endset"}, "set");
    return end_block(std::move(s));
  }

  void parse_params(std::vector<MacroParam>& params) {
    expect_op("(");
    while (!is_op(")")) {
      if (!params.empty()) expect_op(",");
      if (is_op(")")) break;
      MacroParam p;
      p.name = expect_name();
      if (skip_op("=")) p.default_value = parse_expression(true);
      else if (!params.empty() && params.back().default_value) fail_at(cur(), "non-default argument follows default argument");
      params.push_back(std::move(p));
    }
    advance();
  }

  StmtPtr parse_macro(StmtPtr s) {
    s->kind = StmtKind::kMacro;
    s->text = expect_name();
    parse_params(s->params);
    expect_block_end();
    s->body = parse_body({"endmacro"}, "macro");
    return end_block(std::move(s));
  }

  StmtPtr parse_call_block(StmtPtr s) {
    s->kind = StmtKind::kCallBlock;
    if (is_op("(")) parse_params(s->params);
    s->expr = parse_expression(true);
    if (s->expr->kind != ExprKind::kCall) fail_at(cur(), "expected call");
    expect_block_end();
    s->body = parse_body({"endcall"}, "call");
    return end_block(std::move(s));
  }

  StmtPtr parse_filter_block(StmtPtr s) {
    s->kind = StmtKind::kFilterBlock;
    do {
      s->filters.push_back(parse_filter(nullptr));
    } while (skip_op("|"));
    expect_block_end();
    s->body = parse_body({"endfilter"}, "filter");
    return end_block(std::move(s));
  }

  StmtPtr parse_with(StmtPtr s) {
    s->kind = StmtKind::kWith;
    while (cur().type != TokenType::kBlockEnd) {
      if (!s->assignments.empty()) expect_op(",");
      std::string name = expect_name();
      expect_op("=");
      s->assignments.emplace_back(name, parse_expression(true));
    }
    expect_block_end();
    s->body = parse_body({"endwith"}, "with");
    return end_block(std::move(s));
  }

  // ---- expressions ----

  bool at_tuple_end(const char* extra_end) const {
    const Token& t = cur();
    if (t.type == TokenType::kVarEnd || t.type == TokenType::kBlockEnd || t.type == TokenType::kEof) return true;
    if (t.type == TokenType::kOperator && (t.value == ")" || t.value == "]" || t.value == "}")) return true;
    return extra_end && t.type == TokenType::kName && t.value == extra_end;
  }

  ExprPtr parse_tuple(bool with_condexpr, bool explicit_parens, const char* extra_end = nullptr) {
    size_t at = cur().offset;
    std::vector<ExprPtr> items;
    bool is_tuple = false;
    while (true) {
      if (!items.empty()) expect_op(",");
      if (at_tuple_end(extra_end)) break;
      items.push_back(parse_expression(with_condexpr));
      if (is_op(",")) is_tuple = true;
      else break;
    }
    if (!is_tuple) {
      if (!items.empty()) return std::move(items[0]);
      if (!explicit_parens) fail_at(cur(), "expected an expression, got " + describe(cur()));
    }
    auto t = node(ExprKind::kTuple, at);
    t->children = std::move(items);
    return t;
  }

  ExprPtr parse_expression(bool with_condexpr) {
    DepthGuard guard(*this);
    if (!with_condexpr) return parse_or();
    ExprPtr e = parse_or();
    while (is_name("if")) {
      size_t at = cur().offset;
      advance();
      ExprPtr cond = parse_or();
      ExprPtr other = skip_name("else") ? parse_expression(true) : nullptr;
      auto c = node(ExprKind::kCond, at);
      c->children.push_back(std::move(e));
      c->children.push_back(std::move(cond));
      c->children.push_back(std::move(other));
      e = std::move(c);
    }
    return e;
  }

  ExprPtr binary(ExprKind kind, ExprPtr l, ExprPtr r, size_t at) {
    auto e = node(kind, at);
    e->children.push_back(std::move(l));
    e->children.push_back(std::move(r));
    return e;
  }

  ExprPtr parse_or() {
    ExprPtr l = parse_and();
    while (is_name("or")) {
      size_t at = cur().offset;
      advance();
      l = binary(ExprKind::kOr, std::move(l), parse_and(), at);
    }
    return l;
  }

  ExprPtr parse_and() {
    ExprPtr l = parse_not();
    while (is_name("and")) {
      size_t at = cur().offset;
      advance();
      l = binary(ExprKind::kAnd, std::move(l), parse_not(), at);
    }
    return l;
  }

  ExprPtr parse_not() {
    if (is_name("not")) {
      DepthGuard guard(*this);
      auto e = node(ExprKind::kNot, cur().offset);
      advance();
      e->children.push_back(parse_not());
      return e;
    }
    return parse_compare();
  }

  ExprPtr parse_compare() {
    size_t at = cur().offset;
    ExprPtr first = parse_math1();
    ExprPtr cmp;
    while (true) {
      CmpOp op;
      const Token& t = cur();
      if (t.type == TokenType::kOperator && t.value == "==") op = CmpOp::kEq;
      else if (t.type == TokenType::kOperator && t.value == "!=") op = CmpOp::kNe;
      else if (t.type == TokenType::kOperator && t.value == "<") op = CmpOp::kLt;
      else if (t.type == TokenType::kOperator && t.value == "<=") op = CmpOp::kLe;
      else if (t.type == TokenType::kOperator && t.value == ">") op = CmpOp::kGt;
      else if (t.type == TokenType::kOperator && t.value == ">=") op = CmpOp::kGe;
      else if (is_name("in")) op = CmpOp::kIn;
      else if (is_name("not") && peek().type == TokenType::kName && peek().value == "in") {
        op = CmpOp::kNotIn;
        advance();
      } else break;
      advance();
      if (!cmp) {
        cmp = node(ExprKind::kCompare, at);
        cmp->children.push_back(std::move(first));
      }
      cmp->cmp_ops.push_back(op);
      cmp->children.push_back(parse_math1());
    }
    return cmp ? std::move(cmp) : std::move(first);
  }

  ExprPtr parse_binary_level(int level) {
    // level 0: + -   1: ~ (concat)   2: * / // %   3: **
    if (level == 1) {
      size_t at = cur().offset;
      ExprPtr first = parse_binary_level(2);
      if (!is_op("~")) return first;
      auto c = node(ExprKind::kConcat, at);
      c->children.push_back(std::move(first));
      while (skip_op("~")) c->children.push_back(parse_binary_level(2));
      return c;
    }
    if (level == 4) return parse_unary(true);
    ExprPtr l = parse_binary_level(level + 1);
    while (cur().type == TokenType::kOperator) {
      const std::string& v = cur().value;
      BinOp op;
      if (level == 0 && v == "+") op = BinOp::kAdd;
      else if (level == 0 && v == "-") op = BinOp::kSub;
      else if (level == 2 && v == "*") op = BinOp::kMul;
      else if (level == 2 && v == "/") op = BinOp::kDiv;
      else if (level == 2 && v == "//") op = BinOp::kFloorDiv;
      else if (level == 2 && v == "%") op = BinOp::kMod;
      else if (level == 3 && v == "**") op = BinOp::kPow;
      else break;
      size_t at = cur().offset;
      advance();
      l = binary(ExprKind::kBinary, std::move(l), parse_binary_level(level + 1), at);
      l->op = op;
    }
    return l;
  }

  ExprPtr parse_math1() { return parse_binary_level(0); }

  ExprPtr parse_unary(bool with_filter) {
    DepthGuard guard(*this);
    ExprPtr e;
    if (is_op("-") || is_op("+")) {
      e = node(is_op("-") ? ExprKind::kNeg : ExprKind::kPos, cur().offset);
      advance();
      e->children.push_back(parse_unary(false));
    } else {
      e = parse_primary();
    }
    e = parse_postfix(std::move(e));
    if (with_filter) e = parse_filter_expr(std::move(e));
    return e;
  }

  ExprPtr parse_primary();
  ExprPtr parse_postfix(ExprPtr e);
  ExprPtr parse_filter_expr(ExprPtr e);
  ExprPtr parse_subscript(ExprPtr e);
  void parse_call_args(Expr& call);
  ExprPtr parse_filter(ExprPtr operand);
  ExprPtr parse_test(ExprPtr operand);
};

ExprPtr Parser::parse_primary() {
  const Token& t = cur();
  ExprPtr e;
  if (t.type == TokenType::kName) {
    e = node(ExprKind::kConst, t.offset);
    const std::string& n = t.value;
    if (n == "true" || n == "True") e->value = Value(true);
    else if (n == "false" || n == "False") e->value = Value(false);
    else if (n == "none" || n == "None") e->value = Value::none();
    else {
      e->kind = ExprKind::kName;
      e->name = n;
    }
    advance();
  } else if (t.type == TokenType::kString) {
    e = node(ExprKind::kConst, t.offset);
    std::string s;
    while (cur().type == TokenType::kString) {
      s += cur().value;
      advance();
    }
    e->value = Value(std::move(s));
  } else if (t.type == TokenType::kInt || t.type == TokenType::kFloat) {
    e = node(ExprKind::kConst, t.offset);
    e->value = t.type == TokenType::kInt ? Value(t.int_value) : Value(t.float_value);
    advance();
  } else if (is_op("(")) {
    advance();
    e = parse_tuple(true, true);
    expect_op(")");
  } else if (is_op("[") || is_op("{")) {
    bool is_list = is_op("[");
    e = node(is_list ? ExprKind::kList : ExprKind::kDict, t.offset);
    advance();
    const char* close = is_list ? "]" : "}";
    while (!is_op(close)) {
      if (!e->children.empty()) {
        expect_op(",");
        if (is_op(close)) break;
      }
      e->children.push_back(parse_expression(true));
      if (!is_list) {
        expect_op(":");
        e->children.push_back(parse_expression(true));
      }
    }
    advance();
  } else {
    fail_at(t, "unexpected " + describe(t));
  }
  return e;
}

ExprPtr Parser::parse_postfix(ExprPtr e) {
  while (true) {
    if (is_op(".") || is_op("[")) {
      e = parse_subscript(std::move(e));
    } else if (is_op("(")) {
      auto c = node(ExprKind::kCall, cur().offset);
      c->children.push_back(std::move(e));
      parse_call_args(*c);
      e = std::move(c);
    } else {
      return e;
    }
  }
}

ExprPtr Parser::parse_filter_expr(ExprPtr e) {
  while (true) {
    if (is_op("|")) {
      advance();
      e = parse_filter(std::move(e));
    } else if (is_name("is")) {
      advance();
      e = parse_test(std::move(e));
    } else if (is_op("(")) {
      auto c = node(ExprKind::kCall, cur().offset);
      c->children.push_back(std::move(e));
      parse_call_args(*c);
      e = std::move(c);
    } else {
      return e;
    }
  }
}

ExprPtr Parser::parse_subscript(ExprPtr e) {
  const Token& t = cur();
  if (skip_op(".")) {
    const Token& attr = cur();
    if (attr.type == TokenType::kName) {
      auto a = node(ExprKind::kAttr, t.offset);
      a->name = attr.value;
      a->children.push_back(std::move(e));
      advance();
      return a;
    }
    if (attr.type != TokenType::kInt) fail_at(attr, "expected name or number");
    auto it = node(ExprKind::kItem, t.offset);
    it->children.push_back(std::move(e));
    auto k = node(ExprKind::kConst, attr.offset);
    k->value = Value(attr.int_value);
    it->children.push_back(std::move(k));
    advance();
    return it;
  }
  expect_op("[");
  ExprPtr start;
  if (!is_op(":")) {
    start = parse_tuple(true, false);
    if (!is_op(":")) {
      expect_op("]");
      auto it = node(ExprKind::kItem, t.offset);
      it->children.push_back(std::move(e));
      it->children.push_back(std::move(start));
      return it;
    }
  }
  auto sl = node(ExprKind::kSlice, t.offset);
  sl->children.push_back(std::move(e));
  sl->children.push_back(std::move(start));
  advance();  // ':'
  sl->children.push_back(is_op(":") || is_op("]") ? nullptr : parse_expression(true));
  ExprPtr step;
  if (skip_op(":") && !is_op("]")) step = parse_expression(true);
  sl->children.push_back(std::move(step));
  expect_op("]");
  return sl;
}

void Parser::parse_call_args(Expr& call) {
  expect_op("(");
  bool first = true;
  while (!is_op(")")) {
    if (!first) {
      expect_op(",");
      if (is_op(")")) break;
    }
    first = false;
    if (skip_op("*")) {
      call.star_args = parse_expression(true);
    } else if (skip_op("**")) {
      call.star_kwargs = parse_expression(true);
    } else if (cur().type == TokenType::kName && peek().type == TokenType::kOperator && peek().value == "=") {
      std::string key = cur().value;
      advance();
      advance();
      call.kwargs.emplace_back(key, parse_expression(true));
    } else {
      if (!call.kwargs.empty()) fail_at(cur(), "positional argument follows keyword argument");
      call.children.push_back(parse_expression(true));
    }
  }
  advance();
}

ExprPtr Parser::parse_filter(ExprPtr operand) {
  const Token& t = cur();
  auto f = node(ExprKind::kFilter, t.offset);
  f->name = expect_name();
  while (is_op(".") && peek().type == TokenType::kName) {
    advance();
    f->name += "." + expect_name();
  }
  f->filter_fn = find_filter(f->name);
  if (!f->filter_fn) fail_at(t, "no filter named '" + f->name + "'");
  f->children.push_back(std::move(operand));
  if (is_op("(")) parse_call_args(*f);
  return f;
}

ExprPtr Parser::parse_test(ExprPtr operand) {
  auto e = node(ExprKind::kTest, cur().offset);
  e->negated = skip_name("not");
  const Token& t = cur();
  e->name = expect_name();
  e->test_fn = find_test(e->name);
  if (!e->test_fn) fail_at(t, "no test named '" + e->name + "'");
  e->children.push_back(std::move(operand));
  const Token& n = cur();
  bool arg_start = n.type == TokenType::kName || n.type == TokenType::kString || n.type == TokenType::kInt ||
                   n.type == TokenType::kFloat || is_op("[") || is_op("{");
  if (is_op("(")) {
    parse_call_args(*e);
  } else if (arg_start && !is_name("else") && !is_name("or") && !is_name("and")) {
    if (is_name("is")) fail_at(n, "You cannot chain multiple tests with is");
    e->children.push_back(parse_postfix(parse_primary()));
  }
  return e;
}

}  // namespace

Body parse_template(const std::string& source, std::vector<Token> tokens) {
  return Parser(source, std::move(tokens)).parse_all();
}

}  // namespace cellar::jinja
