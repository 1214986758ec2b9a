#pragma once
// `cellar guard policy NAME`: show or change a deployment's guard policy in
// the registry (audited; the server applies it to that deployment).
#include <optional>
#include <string>

#include "cli/registry_cli.h"

namespace cellar::cli {

struct GuardPolicyArgs {
  std::string deployment;
  std::optional<std::string> injection;  // off | flag | block
  std::optional<double> threshold;       // (0, 1]
  std::optional<std::string> pii;        // comma list of logs,input,output, or "none"
  bool json = false;
  RegistryOptions registry;
};

int run_guard_policy(const GuardPolicyArgs& args);

}  // namespace cellar::cli
