#pragma once
// Python's json.dumps over interpreter values: transformers' `tojson` filter
// (no HTML escaping, ensure_ascii=False by default, insertion key order).
#include <optional>
#include <string>

#include "tokenizer/jinja/value.h"

namespace cellar::jinja {

struct JsonDumpOptions {
  std::optional<std::string> indent;  // nullopt: single line
  std::string item_separator = ", ";
  std::string key_separator = ": ";
  bool sort_keys = false;
  bool ensure_ascii = false;
};

// Throws TemplateError for values JSON cannot hold (Undefined, functions).
std::string json_dumps(const Value& v, const JsonDumpOptions& options);

}  // namespace cellar::jinja
