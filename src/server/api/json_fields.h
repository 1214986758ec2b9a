#pragma once
// Typed, range-checked reads of JSON request fields. Every failure is an
// ApiError 400 naming the field, its expected type and its allowed range.
// A field that is absent or null reads as std::nullopt.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cellar::server {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// Parses a request body; 400 with the parser's message (bad syntax, ill-formed UTF-8).
Json parse_json_body(const std::string& body);

class JsonFields {
 public:
  // `prefix` is prepended to field names in messages ("options." for Ollama).
  JsonFields(const Json& obj, std::string prefix = {}) : obj_(obj), prefix_(std::move(prefix)) {}

  const Json* get(const std::string& name) const;  // nullptr when absent or null
  std::optional<double> number(const std::string& name, double lo, double hi) const;
  std::optional<int64_t> integer(const std::string& name, int64_t lo, int64_t hi) const;
  std::optional<bool> boolean(const std::string& name) const;
  std::optional<std::string> string(const std::string& name, size_t max_bytes) const;
  // A string or an array of strings ("stop"): at most max_items, each 1..max_bytes bytes.
  std::vector<std::string> string_or_list(const std::string& name, size_t max_items, size_t max_bytes) const;

 private:
  std::string path(const std::string& name) const { return prefix_ + name; }
  const Json& obj_;
  std::string prefix_;
};

// Model names as served and requested: [A-Za-z0-9][A-Za-z0-9._:-]{0,63}.
bool valid_model_name(const std::string& name);

// The "model" field: required, a string, a valid name.
std::string required_model(const Json& body);

}  // namespace cellar::server
