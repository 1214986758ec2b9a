#include "registry/guard_policy_registry.h"

#include "registry/timestamps.h"

namespace cellar::registry {

void GuardPolicyRegistry::set(const std::string& deployment, const nlohmann::json& policy, const Change& change) {
  if (!policy.is_object()) throw InvalidInput("a guard policy must be a JSON object");
  Database& db = catalog_.db();
  catalog_.write([&] {
    Statement exists = db.prepare("SELECT 1 FROM deployments WHERE name = ?1");
    exists.bind(1, deployment);
    if (!exists.step()) {
      throw NotFound("no deployment named '" + deployment + "' (create it with `cellar deploy " + deployment +
                     " --model M:N`)");
    }
    std::optional<nlohmann::json> before = find(deployment);
    db.prepare(
          "INSERT INTO guard_policies(deployment, policy, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT(deployment) DO UPDATE SET policy = excluded.policy, updated_by = excluded.updated_by, "
          "updated_at = excluded.updated_at")
        .bind(1, deployment).bind(2, policy.dump()).bind(3, change.actor).bind(4, now_timestamp())
        .run();
    catalog_.record(change, "deployment.guard_policy", "deployment:" + deployment,
                    before ? *before : nlohmann::json(), policy);
  });
}

std::optional<nlohmann::json> GuardPolicyRegistry::find(const std::string& deployment) {
  Database& db = catalog_.db();
  auto guard = db.lock();
  Statement st = db.prepare("SELECT policy FROM guard_policies WHERE deployment = ?1");
  st.bind(1, deployment);
  if (!st.step()) return std::nullopt;
  return nlohmann::json::parse(st.text(0));
}

std::map<std::string, nlohmann::json> GuardPolicyRegistry::list() {
  Database& db = catalog_.db();
  auto guard = db.lock();
  Statement st = db.prepare("SELECT deployment, policy FROM guard_policies ORDER BY deployment");
  std::map<std::string, nlohmann::json> out;
  while (st.step()) out.emplace(st.text(0), nlohmann::json::parse(st.text(1)));
  return out;
}

}  // namespace cellar::registry
