// `cellar deploy`, `cellar rollback`, `cellar history`, `cellar deployments`:
// the names clients put in "model" and where they point.
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "cli/registry_cli.h"
#include "registry/deployment_registry.h"
#include "registry/sampling_params.h"

namespace cellar::cli {
namespace {

struct DeployOptions {
  RegistryOptions reg;
  std::string name;
  std::string model;
  std::optional<std::string> prompt_template;
  std::vector<std::string> params;
  bool json = false;
};

void print_deployment(const char* verb, const registry::Deployment& d) {
  std::printf("%s%s%s -> %s%s%s  (revision %lld)\n", verb, *verb ? " " : "", d.name.c_str(), d.model.label().c_str(),
              d.prompt_template ? " + template " : "", d.prompt_template ? d.prompt_template->label().c_str() : "",
              static_cast<long long>(d.revision));
}

int run_deploy(const DeployOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::DeploymentRegistry deployments(*catalog);
  registry::DeployRequest req;
  req.name = o.name;
  req.model = registry::parse_version_ref("model", o.model);
  if (o.prompt_template) req.prompt_template = registry::parse_version_ref("template", *o.prompt_template);
  for (const auto& p : o.params) {
    auto [key, value] = registry::parse_param_assignment(p);
    req.parameters[key] = value;
  }
  print_deployment("deployed", deployments.deploy(req, make_change(o.reg)));
  return 0;
}

int run_rollback(const DeployOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::DeploymentRegistry deployments(*catalog);
  print_deployment("rolled back", deployments.rollback(o.name, make_change(o.reg)));
  return 0;
}

int run_history(const DeployOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::DeploymentRegistry deployments(*catalog);
  auto entries = deployments.history(o.name);
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : entries) {
      out.push_back({{"action", e.action}, {"model", e.model},
                     {"template", e.prompt_template ? nlohmann::json(*e.prompt_template) : nlohmann::json()},
                     {"parameters", e.parameters}, {"reason", e.reason ? nlohmann::json(*e.reason) : nlohmann::json()},
                     {"actor", e.actor}, {"at", e.at}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("%-24s %-9s %-28s %-20s %-12s %s\n", "AT", "ACTION", "MODEL", "TEMPLATE", "BY", "REASON");
  for (const auto& e : entries) {
    std::printf("%-24s %-9s %-28s %-20s %-12s %s\n", e.at.c_str(), e.action.c_str(), e.model.c_str(),
                e.prompt_template.value_or("-").c_str(), e.actor.c_str(), e.reason.value_or("").c_str());
  }
  return 0;
}

int run_list(const DeployOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::DeploymentRegistry deployments(*catalog);
  auto all = deployments.list();
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : all) out.push_back(d.to_json());
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (all.empty()) std::printf("no deployments (create one with `cellar deploy NAME --model M:N`)\n");
  for (const auto& d : all) print_deployment("", d);
  return 0;
}

CommandRegistration deploy_reg("deploy", [](CLI::App& app) {
  auto* sub = app.add_subcommand("deploy", "Point deployment NAME at a model version (and template)");
  auto o = std::make_shared<DeployOptions>();
  sub->add_option("name", o->name, "Deployment name (what clients send as \"model\")")->required();
  sub->add_option("--model", o->model, "Model version NAME:N (NAME alone: its newest version)")->required();
  sub->add_option("--template", o->prompt_template, "Template version T:K (T alone: its newest version)");
  sub->add_option("--param", o->params, "Sampling parameter override NAME=VALUE (repeatable)");
  add_registry_options(sub, o->reg, true);
  return [o]() { return run_deploy(*o); };
});

CommandRegistration rollback_reg("rollback", [](CLI::App& app) {
  auto* sub = app.add_subcommand("rollback", "Point deployment NAME back at its previous target");
  auto o = std::make_shared<DeployOptions>();
  sub->add_option("name", o->name, "Deployment name")->required();
  add_registry_options(sub, o->reg, true);
  return [o]() { return run_rollback(*o); };
});

CommandRegistration history_reg("history", [](CLI::App& app) {
  auto* sub = app.add_subcommand("history", "Every deploy and rollback of deployment NAME");
  auto o = std::make_shared<DeployOptions>();
  sub->add_option("name", o->name, "Deployment name")->required();
  sub->add_flag("--json", o->json, "JSON output");
  add_registry_options(sub, o->reg);
  return [o]() { return run_history(*o); };
});

CommandRegistration list_reg("deployments", [](CLI::App& app) {
  auto* sub = app.add_subcommand("deployments", "List deployments and their current targets");
  auto o = std::make_shared<DeployOptions>();
  sub->add_flag("--json", o->json, "JSON output");
  add_registry_options(sub, o->reg);
  return [o]() { return run_list(*o); };
});

}  // namespace
}  // namespace cellar::cli
