#pragma once
// The one exception type templates raise: a syntax error (with position), a
// template's own raise_exception(msg), or a runtime error (type errors,
// undefined calls, exhausted budgets).
#include <stdexcept>
#include <string>

namespace cellar::jinja {

class TemplateError : public std::runtime_error {
 public:
  enum class Kind { kSyntax, kRaised, kRuntime };

  TemplateError(Kind kind, const std::string& message, int line = 0, int column = 0);

  Kind kind() const { return kind_; }
  int line() const { return line_; }  // 1-based; 0 when unknown
  int column() const { return column_; }
  const std::string& message() const { return message_; }  // without the position prefix

 private:
  Kind kind_;
  std::string message_;
  int line_;
  int column_;
};

// A runtime error without position; the interpreter adds the statement's line.
[[noreturn]] void fail(const std::string& message);

}  // namespace cellar::jinja
