#include "ops/json_schema.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace cellar::ops {
namespace {

using nlohmann::json;
using Error = std::optional<std::string>;

constexpr std::array<const char*, 7> kTypes = {"object", "array",  "string", "number",
                                               "integer", "boolean", "null"};

bool known_type(const json& t) {
  return t.is_string() &&
         std::find(kTypes.begin(), kTypes.end(), t.get<std::string>()) != kTypes.end();
}

bool is_count(const json& v) { return v.is_number_unsigned() || (v.is_number_integer() && v >= 0); }

Error check_at(const json& schema, const std::string& at) {
  if (!schema.is_object()) return at + ": a schema must be an object";
  for (const auto& [key, value] : schema.items()) {
    const std::string here = at + "/" + key;
    if (key == "$schema" || key == "title" || key == "description") continue;
    if (key == "type") {
      bool ok = known_type(value) ||
                (value.is_array() && !value.empty() && std::all_of(value.begin(), value.end(), known_type));
      if (!ok) return here + ": must be one of object, array, string, number, integer, boolean, null";
    } else if (key == "properties") {
      if (!value.is_object()) return here + ": must be an object of schemas";
      for (const auto& [name, sub] : value.items())
        if (auto e = check_at(sub, here + "/" + name)) return e;
    } else if (key == "required") {
      bool ok = value.is_array() && std::all_of(value.begin(), value.end(),
                                                [](const json& v) { return v.is_string(); });
      if (!ok) return here + ": must be a list of property names";
    } else if (key == "items") {
      if (auto e = check_at(value, here)) return e;
    } else if (key == "additionalProperties") {
      if (!value.is_boolean()) return here + ": only true/false is supported";
    } else if (key == "enum") {
      if (!value.is_array() || value.empty()) return here + ": must be a non-empty list";
    } else if (key == "minimum" || key == "maximum") {
      if (!value.is_number()) return here + ": must be a number";
    } else if (key == "minLength" || key == "maxLength" || key == "minItems" || key == "maxItems") {
      if (!is_count(value)) return here + ": must be a non-negative integer";
    } else {
      return here + ": unsupported keyword (supported: type, properties, required, "
                    "additionalProperties, items, enum, minimum, maximum, minLength, "
                    "maxLength, minItems, maxItems)";
    }
  }
  return std::nullopt;
}

bool has_type(const json& v, const std::string& type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "null") return v.is_null();
  if (type == "number") return v.is_number();
  if (type == "integer") {
    if (v.is_number_integer()) return true;
    return v.is_number_float() && std::floor(v.get<double>()) == v.get<double>();
  }
  return false;
}

// Length in Unicode code points, as JSON Schema counts it.
size_t code_points(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

Error validate_at(const json& schema, const json& v, const std::string& at);

Error check_type(const json& schema, const json& v, const std::string& at) {
  if (!schema.contains("type")) return std::nullopt;
  const json& t = schema["type"];
  std::vector<std::string> types = t.is_array() ? t.get<std::vector<std::string>>()
                                                : std::vector<std::string>{t.get<std::string>()};
  for (const auto& type : types)
    if (has_type(v, type)) return std::nullopt;
  return at + ": expected " + t.dump() + ", got " + v.type_name();
}

Error check_object(const json& schema, const json& v, const std::string& at) {
  if (!v.is_object()) return std::nullopt;
  if (schema.contains("required"))
    for (const auto& name : schema["required"])
      if (!v.contains(name.get<std::string>()))
        return at + ": missing required property \"" + name.get<std::string>() + "\"";
  const json props = schema.value("properties", json::object());
  for (const auto& [name, sub] : v.items()) {
    if (props.contains(name)) {
      if (auto e = validate_at(props[name], sub, at + "/" + name)) return e;
    } else if (schema.value("additionalProperties", true) == false) {
      return at + ": property \"" + name + "\" is not allowed";
    }
  }
  return std::nullopt;
}

Error check_array(const json& schema, const json& v, const std::string& at) {
  if (!v.is_array()) return std::nullopt;
  if (schema.contains("minItems") && v.size() < schema["minItems"].get<size_t>())
    return at + ": needs at least " + schema["minItems"].dump() + " items";
  if (schema.contains("maxItems") && v.size() > schema["maxItems"].get<size_t>())
    return at + ": allows at most " + schema["maxItems"].dump() + " items";
  if (schema.contains("items"))
    for (size_t i = 0; i < v.size(); ++i)
      if (auto e = validate_at(schema["items"], v[i], at + "/" + std::to_string(i))) return e;
  return std::nullopt;
}

Error check_scalar(const json& schema, const json& v, const std::string& at) {
  if (v.is_string()) {
    size_t n = code_points(v.get<std::string>());
    if (schema.contains("minLength") && n < schema["minLength"].get<size_t>())
      return at + ": shorter than minLength " + schema["minLength"].dump();
    if (schema.contains("maxLength") && n > schema["maxLength"].get<size_t>())
      return at + ": longer than maxLength " + schema["maxLength"].dump();
  }
  if (v.is_number()) {
    double x = v.get<double>();
    if (schema.contains("minimum") && x < schema["minimum"].get<double>())
      return at + ": " + v.dump() + " is below minimum " + schema["minimum"].dump();
    if (schema.contains("maximum") && x > schema["maximum"].get<double>())
      return at + ": " + v.dump() + " is above maximum " + schema["maximum"].dump();
  }
  if (schema.contains("enum")) {
    const json& options = schema["enum"];
    if (std::find(options.begin(), options.end(), v) == options.end())
      return at + ": " + v.dump() + " is not one of " + options.dump();
  }
  return std::nullopt;
}

Error validate_at(const json& schema, const json& v, const std::string& at) {
  if (auto e = check_type(schema, v, at)) return e;
  if (auto e = check_object(schema, v, at)) return e;
  if (auto e = check_array(schema, v, at)) return e;
  return check_scalar(schema, v, at);
}

}  // namespace

std::optional<std::string> check_schema(const json& schema) {
  auto e = check_at(schema, "");
  if (e && e->front() == ':') return "(root)" + *e;
  return e;
}

std::optional<std::string> validate_json(const json& schema, const json& instance) {
  auto e = validate_at(schema, instance, "");
  if (e && e->front() == ':') return "(root)" + *e;
  return e;
}

}  // namespace cellar::ops
