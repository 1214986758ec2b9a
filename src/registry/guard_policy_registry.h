#pragma once
// Per-deployment guard policies: the JSON of guard::GuardPolicy (guard/policy.h;
// callers validate it, the registry stores it as given), one row per
// deployment. Every change is written in the same transaction as its audit
// row ("deployment.guard_policy", before/after JSON), and bumps the catalogue
// generation like any other change.
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "registry/catalog.h"

namespace cellar::registry {

class GuardPolicyRegistry {
 public:
  explicit GuardPolicyRegistry(Catalog& catalog) : catalog_(catalog) {}

  // Stores `policy` (a JSON object) for `deployment`. Throws NotFound when no
  // such deployment exists, InvalidInput when `policy` is not an object.
  void set(const std::string& deployment, const nlohmann::json& policy, const Change& change);
  // The stored policy; nullopt when the deployment uses the server's.
  std::optional<nlohmann::json> find(const std::string& deployment);
  // Every stored policy by deployment name.
  std::map<std::string, nlohmann::json> list();

 private:
  Catalog& catalog_;
};

}  // namespace cellar::registry
