#pragma once
// Small real-engine setups shared by the EngineBackend tests.
#include <chrono>
#include <filesystem>
#include <string>

#include "registry/deployment_registry.h"
#include "server/deployment_watcher.h"
#include "server/engine_backend.h"

namespace cellar::server::test {

// Tiny contexts, one thread, a budget nothing reaches, never unloaded when idle.
inline EngineOptions small_engine_options(int n_slots) {
  EngineOptions o;
  o.n_ctx = 64;
  o.n_slots = n_slots;
  o.n_threads = 1;
  o.memory_budget = 1ull << 34;
  o.keep_alive = std::chrono::milliseconds(-1);
  return o;
}

// Deployment `name` of the catalogue in `home`, served lazily under its own name.
inline ModelSpec lazy_deployment_spec(const std::filesystem::path& home, const std::string& name) {
  registry::Catalog catalog(home);
  ModelSpec base;
  base.name = name;
  base.lazy = true;
  return deployment_spec(registry::DeploymentRegistry(catalog).resolve(name), base);
}

}  // namespace cellar::server::test
