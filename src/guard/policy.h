#pragma once
// Per-deployment guard settings, stored by the registry as JSON and applied
// by the server in the request path.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "guard/injection.h"

namespace cellar::guard {

enum class InjectionMode { kOff, kFlag, kBlock };

std::string_view injection_mode_name(InjectionMode m);  // "off" | "flag" | "block"
InjectionMode parse_injection_mode(std::string_view s); // throws GuardError

struct GuardPolicy {
  InjectionMode injection = InjectionMode::kOff;
  double threshold = kDefaultInjectionThreshold;  // in (0, 1]
  bool redact_logs = true;     // PII out of logged prompts (when prompt logging is on)
  bool redact_input = false;   // PII out of messages before the model sees them
  bool redact_output = false;  // PII out of generated text

  // Throws GuardError naming the bad field.
  void validate() const;
  bool operator==(const GuardPolicy&) const = default;
};

// Field names: injection, threshold, redact_logs, redact_input, redact_output.
nlohmann::json to_json(const GuardPolicy& p);
// Missing fields keep their defaults; unknown fields and wrong types are
// rejected (GuardError), so a typo never silently disables a protection.
GuardPolicy policy_from_json(const nlohmann::json& j);

}  // namespace cellar::guard
