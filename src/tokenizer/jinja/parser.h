#pragma once
// Recursive-descent parser for the Jinja subset chat templates use, following
// jinja2/parser.py (3.1): same precedence, same tuple and test-argument rules.
#include <string>
#include <vector>

#include "tokenizer/jinja/ast.h"
#include "tokenizer/jinja/lexer.h"

namespace cellar::jinja {

// Parses tokens of `source` (normalised); throws TemplateError (kSyntax).
Body parse_template(const std::string& source, std::vector<Token> tokens);

}  // namespace cellar::jinja
