#include "tokenizer/jinja/error.h"

namespace cellar::jinja {

namespace {

std::string format_message(TemplateError::Kind kind, const std::string& message, int line,
                           int column) {
  if (kind == TemplateError::Kind::kRaised || line <= 0) return message;
  std::string where = "line " + std::to_string(line);
  if (column > 0) where += ", column " + std::to_string(column);
  if (kind == TemplateError::Kind::kSyntax) return "template syntax error at " + where + ": " + message;
  return "template error at " + where + ": " + message;
}

}  // namespace

TemplateError::TemplateError(Kind kind, const std::string& message, int line, int column)
    : std::runtime_error(format_message(kind, message, line, column)),
      kind_(kind),
      message_(message),
      line_(line),
      column_(column) {}

void fail(const std::string& message) {
  throw TemplateError(TemplateError::Kind::kRuntime, message);
}

}  // namespace cellar::jinja
