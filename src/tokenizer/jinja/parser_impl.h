#pragma once
// Internal to the parser: the Parser class shared by parser.cpp (statements)
// and parser_expr.cpp (expressions).
#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

#include "tokenizer/jinja/ast.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/lexer.h"

namespace cellar::jinja {

// Deeper nesting than any real template, shallow enough for the C++ stack.
constexpr int kMaxParseDepth = 200;

class Parser {
 public:
  Parser(const std::string& source, std::vector<Token> tokens)
      : source_(source), toks_(std::move(tokens)) {}

  Body parse_all();

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


  // Statements (parser.cpp).
  Body parse_body(std::initializer_list<const char*> ends, const char* opener);
  StmtPtr parse_statement();
  StmtPtr end_block(StmtPtr s);
  StmtPtr parse_if(StmtPtr s);
  std::vector<std::string> parse_targets();
  StmtPtr parse_for(StmtPtr s);
  StmtPtr parse_set(StmtPtr s);
  void parse_params(std::vector<MacroParam>& params);
  StmtPtr parse_macro(StmtPtr s);
  StmtPtr parse_call_block(StmtPtr s);
  StmtPtr parse_filter_block(StmtPtr s);
  StmtPtr parse_with(StmtPtr s);

  // Expressions (parser_expr.cpp).
  bool at_tuple_end(const char* extra_end) const;
  ExprPtr parse_tuple(bool with_condexpr, bool explicit_parens, const char* extra_end = nullptr);
  ExprPtr parse_expression(bool with_condexpr);
  ExprPtr binary(ExprKind kind, ExprPtr l, ExprPtr r, size_t at);
  ExprPtr parse_or();
  ExprPtr parse_and();
  ExprPtr parse_not();
  ExprPtr parse_compare();
  ExprPtr parse_binary_level(int level);
  ExprPtr parse_math1();
  ExprPtr parse_unary(bool with_filter);
  ExprPtr parse_primary();
  ExprPtr parse_postfix(ExprPtr e);
  ExprPtr parse_filter_expr(ExprPtr e);
  ExprPtr parse_subscript(ExprPtr e);
  void parse_call_args(Expr& call);
  ExprPtr parse_filter(ExprPtr operand);
  ExprPtr parse_test(ExprPtr operand);
};

}  // namespace cellar::jinja
