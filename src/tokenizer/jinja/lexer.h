#pragma once
// Splits template source into text and tag tokens, applying the whitespace
// rules of transformers' environment: trim_blocks, lstrip_blocks, the `-`/`+`
// modifiers and keep_trailing_newline=False. Mirrors jinja2/lexer.py (3.1).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cellar::jinja {

enum class TokenType : uint8_t {
  kText,
  kVarBegin,
  kVarEnd,
  kBlockBegin,
  kBlockEnd,
  kName,
  kString,
  kInt,
  kFloat,
  kOperator,
  kEof
};

struct Token {
  TokenType type;
  std::string value;  // text, name, decoded string literal or operator
  int64_t int_value = 0;
  double float_value = 0;
  size_t offset = 0;  // byte offset in the normalised source, for error positions
};

// Normalises newlines ("\r\n", "\r" -> "\n") and drops one trailing newline.
std::string normalize_source(std::string_view source);

// Tokenises normalised source; throws TemplateError (kSyntax) with position.
std::vector<Token> tokenize(const std::string& source);

// 1-based line and column of a byte offset (column counts bytes).
void offset_to_position(const std::string& source, size_t offset, int* line, int* column);

}  // namespace cellar::jinja
