#include "tokenizer/jinja/template.h"

#include "tokenizer/jinja/lexer.h"
#include "tokenizer/jinja/parser.h"

namespace cellar::jinja {

struct Template::Program {
  std::string source;  // normalised; error positions refer to it
  Body body;
};

Template Template::parse(std::string_view source) {
  auto program = std::make_shared<Program>();
  program->source = normalize_source(source);
  program->body = parse_template(program->source, tokenize(program->source));
  return Template(std::move(program));
}

std::string Template::render(const nlohmann::ordered_json& context, const RenderLimits& limits) const {
  Interpreter interpreter(program_->source, limits);
  return interpreter.render(program_->body, context);
}

}  // namespace cellar::jinja
