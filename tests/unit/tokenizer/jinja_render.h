#pragma once
// The one-line render the Jinja tests share: parse a template and render it
// against a JSON context given as text.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "tokenizer/jinja/template.h"

namespace cellar::jinja::test {

inline std::string render(std::string_view source, const char* context = "{}") {
  return Template::parse(source).render(nlohmann::ordered_json::parse(context));
}

}  // namespace cellar::jinja::test
