#include "registry/sampling_params.h"

#include <map>

#include "registry/errors.h"

namespace cellar::registry {
namespace {

struct Range {
  bool integer;
  double lo;
  double hi;
};

const std::map<std::string, Range>& numeric_params() {
  static const std::map<std::string, Range> kParams = {
      {"temperature", {false, 0.0, 10.0}},       {"top_p", {false, 0.0, 1.0}},
      {"min_p", {false, 0.0, 1.0}},              {"top_k", {true, 0.0, 1e9}},
      {"repeat_penalty", {false, 0.0, 10.0}},    {"repeat_last_n", {true, -1.0, 1e9}},
      {"presence_penalty", {false, -2.0, 2.0}},  {"frequency_penalty", {false, -2.0, 2.0}},
      {"max_tokens", {true, 1.0, 1e9}},          {"num_ctx", {true, 1.0, 1e9}},
      {"seed", {true, -9.2e18, 9.2e18}},
  };
  return kParams;
}

std::string known_names() {
  std::string out;
  for (const auto& [name, range] : numeric_params()) out += name + ", ";
  return out + "stop";
}

[[noreturn]] void reject(const std::string& where, const std::string& key, const std::string& why) {
  throw InvalidInput(where + ": parameter '" + key + "' " + why);
}

}  // namespace

void validate_sampling_params(const nlohmann::json& params, const std::string& where) {
  if (!params.is_object()) throw InvalidInput(where + ": parameters must be a mapping of name to value");
  for (const auto& [key, value] : params.items()) {
    if (key == "stop") {
      bool ok = value.is_string();
      if (value.is_array()) {
        ok = value.size() <= 16;
        for (const auto& s : value) ok = ok && s.is_string();
      }
      if (!ok) reject(where, key, "must be a string or a list of at most 16 strings");
      continue;
    }
    auto it = numeric_params().find(key);
    if (it == numeric_params().end()) reject(where, key, "is unknown (known: " + known_names() + ")");
    const Range& r = it->second;
    if (!value.is_number() || (r.integer && !value.is_number_integer())) {
      reject(where, key, r.integer ? "must be an integer" : "must be a number");
    }
    double v = value.get<double>();
    if (v < r.lo || v > r.hi) {
      reject(where, key, "is " + value.dump() + ", outside [" + nlohmann::json(r.lo).dump() + ", " +
                             nlohmann::json(r.hi).dump() + "]");
    }
  }
}

nlohmann::json merge_sampling_params(const nlohmann::json& base, const nlohmann::json& overrides) {
  nlohmann::json out = base.is_object() ? base : nlohmann::json::object();
  if (overrides.is_object()) {
    for (const auto& [key, value] : overrides.items()) out[key] = value;
  }
  return out;
}

std::pair<std::string, nlohmann::json> parse_param_assignment(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InvalidInput("invalid parameter '" + text + "': expected NAME=VALUE, e.g. temperature=0.2");
  }
  std::string value = text.substr(eq + 1);
  nlohmann::json parsed = nlohmann::json::parse(value, nullptr, false);
  if (parsed.is_discarded()) parsed = value;
  return {text.substr(0, eq), parsed};
}

}  // namespace cellar::registry
