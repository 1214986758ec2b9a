#include "server/deployment_watcher.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "registry/names.h"

namespace cellar::server {

ModelSpec deployment_spec(const registry::Deployment& d, ModelSpec base) {
  base.path = d.model_path.string();
  base.version = registry::version_label(d.model.name, d.model.version);
  base.template_version.clear();
  base.system_prompt.clear();
  base.chat_template.reset();
  if (d.prompt_template) {
    base.template_version = d.prompt_template->label();
    base.system_prompt = d.prompt_template->spec.system_prompt;
    base.chat_template = d.prompt_template->spec.chat_template;
  }
  base.parameters = d.effective_parameters();
  return base;
}

DeploymentWatcher::DeploymentWatcher(const std::filesystem::path& home, EngineBackend& backend,
                                     std::vector<ModelSpec> deployments, std::chrono::milliseconds interval)
    : catalog_(std::make_unique<registry::Catalog>(home)), backend_(backend), interval_(interval) {
  for (auto& d : deployments) current_[d.name] = std::move(d);
  generation_ = catalog_->generation();
  thread_ = std::thread([this] { run(); });
}

DeploymentWatcher::~DeploymentWatcher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void DeploymentWatcher::poke() {
  {
    std::lock_guard lock(mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

void DeploymentWatcher::check() {
  std::lock_guard check_lock(check_mu_);
  int64_t generation = catalog_->generation();
  if (generation == generation_) return;
  generation_ = generation;
  registry::DeploymentRegistry deployments(*catalog_);
  for (auto& [name, spec] : current_) {
    auto d = deployments.find(name);
    if (!d) continue;  // deployments are never deleted; keep serving what is loaded
    ModelSpec next = deployment_spec(*d, spec);
    if (next.path == spec.path && next.version == spec.version && next.template_version == spec.template_version &&
        next.system_prompt == spec.system_prompt && next.chat_template == spec.chat_template &&
        next.parameters == spec.parameters) {
      continue;
    }
    nlohmann::json event = {{"event", "deployment_changed"}, {"model", name}, {"from", spec.version},
                            {"to", next.version}, {"template", next.template_version}};
    std::fprintf(stderr, "%s\n", event.dump().c_str());
    spec = next;  // a target that fails to load is not retried until the deployment changes again
    try {
      backend_.redeploy(next);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n",
                   nlohmann::json({{"event", "redeploy_failed"}, {"model", name}, {"to", next.version},
                                   {"error", e.what()}, {"serving", "the previous target"}})
                       .dump()
                       .c_str());
    }
  }
}

void DeploymentWatcher::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, interval_, [this] { return stopping_ || poked_; });
    if (stopping_) break;
    poked_ = false;
    lock.unlock();
    try {
      check();
    } catch (const std::exception& e) {  // a busy or unreadable catalogue: try again next tick
      std::fprintf(stderr, "cellar: deployment check failed: %s\n", e.what());
    }
    lock.lock();
  }
}

}  // namespace cellar::server
