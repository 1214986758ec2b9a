#pragma once
// A parsed Jinja template, rendered the way Hugging Face transformers renders
// chat templates (see refdata/templates/README.md for the environment).
// Parse once, render many times, from any number of threads.
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tokenizer/jinja/error.h"
#include "tokenizer/jinja/interpreter.h"

namespace cellar::jinja {

class Template {
 public:
  // Throws TemplateError (kSyntax) with line and column.
  static Template parse(std::string_view source);

  // Renders with `context` (a JSON object) as the global variables.
  // Throws TemplateError (kRaised for raise_exception, kRuntime otherwise).
  std::string render(const nlohmann::ordered_json& context, const RenderLimits& limits = {}) const;

 private:
  struct Program;
  explicit Template(std::shared_ptr<const Program> program) : program_(std::move(program)) {}
  std::shared_ptr<const Program> program_;
};

}  // namespace cellar::jinja
