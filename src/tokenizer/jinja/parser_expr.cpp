// Expression grammar of the parser, same precedence as jinja2/parser.py.
#include "tokenizer/jinja/parser_impl.h"

namespace cellar::jinja {

bool Parser::at_tuple_end(const char* extra_end) const {
  const Token& t = cur();
  if (t.type == TokenType::kVarEnd || t.type == TokenType::kBlockEnd || t.type == TokenType::kEof) return true;
  if (t.type == TokenType::kOperator && (t.value == ")" || t.value == "]" || t.value == "}")) return true;
  return extra_end && t.type == TokenType::kName && t.value == extra_end;
}

ExprPtr Parser::parse_tuple(bool with_condexpr, bool explicit_parens, const char* extra_end) {
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

ExprPtr Parser::parse_expression(bool with_condexpr) {
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

ExprPtr Parser::binary(ExprKind kind, ExprPtr l, ExprPtr r, size_t at) {
  auto e = node(kind, at);
  e->children.push_back(std::move(l));
  e->children.push_back(std::move(r));
  return e;
}

ExprPtr Parser::parse_or() {
  ExprPtr l = parse_and();
  while (is_name("or")) {
    size_t at = cur().offset;
    advance();
    l = binary(ExprKind::kOr, std::move(l), parse_and(), at);
  }
  return l;
}

ExprPtr Parser::parse_and() {
  ExprPtr l = parse_not();
  while (is_name("and")) {
    size_t at = cur().offset;
    advance();
    l = binary(ExprKind::kAnd, std::move(l), parse_not(), at);
  }
  return l;
}

ExprPtr Parser::parse_not() {
  if (is_name("not")) {
    DepthGuard guard(*this);
    auto e = node(ExprKind::kNot, cur().offset);
    advance();
    e->children.push_back(parse_not());
    return e;
  }
  return parse_compare();
}

ExprPtr Parser::parse_compare() {
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

ExprPtr Parser::parse_binary_level(int level) {
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

ExprPtr Parser::parse_math1() { return parse_binary_level(0); }

ExprPtr Parser::parse_unary(bool with_filter) {
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
    f->name.push_back('.');
    f->name += expect_name();
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

}  // namespace cellar::jinja
