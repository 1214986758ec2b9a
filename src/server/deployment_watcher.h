#pragma once
// Zero-downtime redeploys: a running server polls the catalogue's generation
// (one cheap query, every second by default) and, when a served deployment
// now points at another model or template version — changed by `cellar
// deploy` / `cellar rollback` in another process or by the admin API — asks
// the backend to load and warm the new target before moving traffic
// (EngineBackend::redeploy).
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "registry/catalog.h"
#include "registry/deployment_registry.h"
#include "server/engine_backend.h"

namespace cellar::server {

// `base` (name, lazy, ...) pointed at deployment `d`'s current target.
ModelSpec deployment_spec(const registry::Deployment& d, ModelSpec base);

class DeploymentWatcher {
 public:
  // Watches `deployments` (specs made by deployment_spec) served by `backend`.
  DeploymentWatcher(const std::filesystem::path& home, EngineBackend& backend, std::vector<ModelSpec> deployments,
                    std::chrono::milliseconds interval = std::chrono::seconds(1));
  ~DeploymentWatcher();
  DeploymentWatcher(const DeploymentWatcher&) = delete;
  DeploymentWatcher& operator=(const DeploymentWatcher&) = delete;

  // Checks now instead of at the next tick (after an admin API change).
  void poke();
  // One check in the calling thread: redeploys what changed since the last one.
  void check();

 private:
  void run();

  std::unique_ptr<registry::Catalog> catalog_;
  EngineBackend& backend_;
  std::map<std::string, ModelSpec> current_;  // by served name
  std::chrono::milliseconds interval_;
  int64_t generation_ = -1;
  std::mutex check_mu_;  // one check at a time
  std::mutex mu_;
  std::condition_variable cv_;
  bool poked_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cellar::server
