#include "tokenizer/jinja/parser.h"

#include "tokenizer/jinja/parser_impl.h"

namespace cellar::jinja {

Body Parser::parse_all() {
  Body body = parse_body({}, "");
  if (cur().type != TokenType::kEof) fail_at(cur(), "unexpected '" + cur().value + "'");
  return body;
}

// Parses until a block tag named in `ends` (left unconsumed after `{%`).
Body Parser::parse_body(std::initializer_list<const char*> ends, const char* opener) {
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

StmtPtr Parser::parse_statement() {
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

StmtPtr Parser::end_block(StmtPtr s) {
  advance();  // the end tag's name
  expect_block_end();
  return s;
}

StmtPtr Parser::parse_if(StmtPtr s) {
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

std::vector<std::string> Parser::parse_targets() {
  std::vector<std::string> names;
  bool parens = skip_op("(");
  do {
    names.push_back(expect_name());
  } while (skip_op(",") && cur().type == TokenType::kName);
  if (parens) expect_op(")");
  return names;
}

StmtPtr Parser::parse_for(StmtPtr s) {
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

StmtPtr Parser::parse_set(StmtPtr s) {
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

void Parser::parse_params(std::vector<MacroParam>& params) {
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

StmtPtr Parser::parse_macro(StmtPtr s) {
  s->kind = StmtKind::kMacro;
  s->text = expect_name();
  parse_params(s->params);
  expect_block_end();
  s->body = parse_body({"endmacro"}, "macro");
  return end_block(std::move(s));
}

StmtPtr Parser::parse_call_block(StmtPtr s) {
  s->kind = StmtKind::kCallBlock;
  if (is_op("(")) parse_params(s->params);
  s->expr = parse_expression(true);
  if (s->expr->kind != ExprKind::kCall) fail_at(cur(), "expected call");
  expect_block_end();
  s->body = parse_body({"endcall"}, "call");
  return end_block(std::move(s));
}

StmtPtr Parser::parse_filter_block(StmtPtr s) {
  s->kind = StmtKind::kFilterBlock;
  do {
    s->filters.push_back(parse_filter(nullptr));
  } while (skip_op("|"));
  expect_block_end();
  s->body = parse_body({"endfilter"}, "filter");
  return end_block(std::move(s));
}

StmtPtr Parser::parse_with(StmtPtr s) {
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

Body parse_template(const std::string& source, std::vector<Token> tokens) {
  return Parser(source, std::move(tokens)).parse_all();
}

}  // namespace cellar::jinja
