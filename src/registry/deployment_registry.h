#pragma once
// Deployments: the names clients put in "model". Each points at a model
// version, an optional template version and parameter overrides. Every change
// is appended to deployment_history; rollback walks that history back one
// step per call (deploy pushes a target, rollback pops one), so
// deploy v1, deploy v2, deploy v3, rollback, rollback ends on v1.
//
// The server resolves names with resolve() and polls Catalog::generation() to
// notice changes; it then loads and warms the new target before switching
// (zero-downtime is the server's load-warm-switch; `revision` tells it which
// deployments changed).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/catalog.h"
#include "registry/model_registry.h"
#include "registry/names.h"
#include "registry/template_registry.h"

namespace cellar::registry {

struct Deployment {
  std::string name;
  ModelVersion model;
  std::optional<PromptTemplate> prompt_template;
  nlohmann::json parameters = nlohmann::json::object();  // the deployment's own overrides
  int64_t revision = 0;  // increments on every deploy/rollback of this name
  std::string updated_by;
  std::string updated_at;
  std::filesystem::path model_path;  // the blob to load

  // Template defaults overridden by the deployment's parameters.
  nlohmann::json effective_parameters() const;
  nlohmann::json to_json() const;
};

struct DeploymentHistoryEntry {
  int64_t id = 0;
  std::string action;  // "deploy" or "rollback"
  std::string model;   // "NAME:N"
  std::optional<std::string> prompt_template;
  nlohmann::json parameters;
  std::optional<std::string> reason;
  std::string actor;
  std::string at;
};

struct DeployRequest {
  std::string name;
  VersionRef model;                          // no version: the newest one, recorded as NAME:N
  std::optional<VersionRef> prompt_template; // no version: the newest one
  nlohmann::json parameters = nlohmann::json::object();
};

class DeploymentRegistry {
 public:
  explicit DeploymentRegistry(Catalog& catalog) : catalog_(catalog), models_(catalog), templates_(catalog) {}

  Deployment deploy(const DeployRequest& request, const Change& change);
  // Back to the target before the current one. Throws Conflict when there is none.
  Deployment rollback(const std::string& name, const Change& change);
  std::vector<DeploymentHistoryEntry> history(const std::string& name);

  // For the server: the current target of `name`. Throws NotFound.
  Deployment resolve(const std::string& name);
  std::optional<Deployment> find(const std::string& name);
  std::vector<Deployment> list();

 private:
  struct Target {
    int64_t model_id = 0;
    std::optional<int64_t> template_id;
    nlohmann::json parameters;
  };
  Deployment load(const std::string& name, const Target& target, int64_t revision, const std::string& by,
                  const std::string& at);
  nlohmann::json describe(const Target& target);
  Deployment apply(const std::string& name, const Target& target, const std::string& action, const Change& change);
  std::vector<Target> target_stack(const std::string& name);

  Catalog& catalog_;
  ModelRegistry models_;
  TemplateRegistry templates_;
};

}  // namespace cellar::registry
