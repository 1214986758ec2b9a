#include "guard/policy.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "guard/guard_error.h"

namespace cellar::guard {
namespace {

bool read_bool(const nlohmann::json& v, const char* field) {
  if (!v.is_boolean()) throw GuardError(std::string("guard policy: \"") + field + "\" must be true or false");
  return v.get<bool>();
}

}  // namespace

std::string_view injection_mode_name(InjectionMode m) {
  switch (m) {
    case InjectionMode::kOff: return "off";
    case InjectionMode::kFlag: return "flag";
    case InjectionMode::kBlock: return "block";
  }
  return "off";
}

InjectionMode parse_injection_mode(std::string_view s) {
  if (s == "off") return InjectionMode::kOff;
  if (s == "flag") return InjectionMode::kFlag;
  if (s == "block") return InjectionMode::kBlock;
  throw GuardError("guard policy: \"injection\" must be \"off\", \"flag\" or \"block\", got \"" + std::string(s) + "\"");
}

void GuardPolicy::validate() const {
  if (!std::isfinite(threshold) || threshold <= 0.0 || threshold > 1.0) {
    throw GuardError("guard policy: \"threshold\" must be in (0, 1], got " + std::to_string(threshold));
  }
}

nlohmann::json to_json(const GuardPolicy& p) {
  return nlohmann::json{{"injection", std::string(injection_mode_name(p.injection))},
                        {"threshold", p.threshold},
                        {"redact_logs", p.redact_logs},
                        {"redact_input", p.redact_input},
                        {"redact_output", p.redact_output}};
}

GuardPolicy policy_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw GuardError("guard policy: expected a JSON object");
  GuardPolicy p;
  for (const auto& [key, v] : j.items()) {
    if (key == "injection") {
      if (!v.is_string()) throw GuardError("guard policy: \"injection\" must be a string");
      p.injection = parse_injection_mode(v.get<std::string>());
    } else if (key == "threshold") {
      if (!v.is_number()) throw GuardError("guard policy: \"threshold\" must be a number");
      p.threshold = v.get<double>();
    } else if (key == "redact_logs") {
      p.redact_logs = read_bool(v, "redact_logs");
    } else if (key == "redact_input") {
      p.redact_input = read_bool(v, "redact_input");
    } else if (key == "redact_output") {
      p.redact_output = read_bool(v, "redact_output");
    } else {
      throw GuardError("guard policy: unknown field \"" + key +
                       "\" (expected injection, threshold, redact_logs, redact_input, redact_output)");
    }
  }
  p.validate();
  return p;
}

}  // namespace cellar::guard
