#include "cli/guard_policy.h"

#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "guard/guard_error.h"
#include "guard/policy.h"
#include "registry/guard_policy_registry.h"

namespace cellar::cli {
namespace {

// "--pii logs,output": exactly these redactions on; "none": all off.
void apply_pii_list(const std::string& list, guard::GuardPolicy& p) {
  p.redact_logs = p.redact_input = p.redact_output = false;
  if (list == "none") return;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item == "logs") p.redact_logs = true;
    else if (item == "input") p.redact_input = true;
    else if (item == "output") p.redact_output = true;
    else throw guard::GuardError("--pii: unknown place '" + item + "' (use logs, input, output, or none)");
  }
}

void print_policy(const std::string& name, const guard::GuardPolicy& p, bool stored, bool json) {
  if (json) {
    std::cout << nlohmann::json{{"deployment", name}, {"stored", stored}, {"policy", guard::to_json(p)}}.dump() << "\n";
    return;
  }
  std::string pii;
  for (auto [on, place] : {std::pair{p.redact_logs, "logs"}, {p.redact_input, "input"}, {p.redact_output, "output"}}) {
    if (on) pii += (pii.empty() ? "" : ",") + std::string(place);
  }
  std::cout << name << ": injection=" << guard::injection_mode_name(p.injection) << " threshold=" << p.threshold
            << " pii=" << (pii.empty() ? "none" : pii)
            << (stored ? "" : " (nothing stored: the server's --guard-policy applies)") << "\n";
}

}  // namespace

int run_guard_policy(const GuardPolicyArgs& args) {
  auto catalog = open_catalog(args.registry);
  registry::GuardPolicyRegistry policies(*catalog);
  std::optional<nlohmann::json> stored = policies.find(args.deployment);
  guard::GuardPolicy p = stored ? guard::policy_from_json(*stored) : guard::GuardPolicy{};
  bool change = args.injection || args.threshold || args.pii;
  if (args.injection) p.injection = guard::parse_injection_mode(*args.injection);
  if (args.threshold) p.threshold = *args.threshold;
  if (args.pii) apply_pii_list(*args.pii, p);
  if (change) {
    p.validate();
    policies.set(args.deployment, guard::to_json(p), make_change(args.registry));
  }
  print_policy(args.deployment, p, stored.has_value() || change, args.json);
  return 0;
}

}  // namespace cellar::cli
