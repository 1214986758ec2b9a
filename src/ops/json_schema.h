#pragma once
// A small JSON Schema subset, enough to hold an answer's shape:
// type, properties, required, additionalProperties (bool), items, enum,
// minimum, maximum, minLength, maxLength, minItems, maxItems.
// Keywords follow https://json-schema.org/draft/2020-12/json-schema-validation
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace cellar::ops {

// Returns a message naming the first unsupported or malformed keyword
// (with its JSON pointer inside the schema), or nullopt when usable.
std::optional<std::string> check_schema(const nlohmann::json& schema);

// Returns the first violation ("/items/0/name: expected string"), or nullopt.
std::optional<std::string> validate_json(const nlohmann::json& schema,
                                         const nlohmann::json& instance);

}  // namespace cellar::ops
