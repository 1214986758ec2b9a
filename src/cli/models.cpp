// `cellar models list|delete`: the model versions in the registry.
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "cli/registry_cli.h"
#include "registry/memory_budget.h"
#include "registry/model_registry.h"

namespace cellar::cli {
namespace {

struct ModelsOptions {
  RegistryOptions reg;
  std::optional<std::string> name;
  std::string ref;
  bool json = false;
  bool all = false;
};

int run_list(const ModelsOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::ModelRegistry models(*catalog);
  if (o.name) registry::require_valid_name("model", *o.name);
  auto versions = models.list(o.name, o.all);
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : versions) out.push_back(v.to_json());
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (versions.empty()) {
    std::printf("no models (add one with `cellar import FILE --name NAME`)\n");
    return 0;
  }
  std::printf("%-32s %-12s %-8s %-10s %-14s %-24s %s\n", "VERSION", "ARCH", "QUANT", "SIZE", "SHA256", "CREATED",
              "BY");
  for (const auto& v : versions) {
    std::string label = v.label() + (v.deleted_at ? " (deleted)" : "");
    std::printf("%-32s %-12s %-8s %-10s %-14s %-24s %s\n", label.c_str(), v.architecture.c_str(),
                v.quantization.c_str(), registry::format_bytes(v.size_bytes).c_str(), v.sha256.substr(0, 12).c_str(),
                v.created_at.c_str(), v.created_by.c_str());
  }
  return 0;
}

int run_delete(const ModelsOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::ModelRegistry models(*catalog);
  auto ref = registry::parse_version_ref("model", o.ref);
  models.remove(ref, make_change(o.reg));
  std::printf("deleted %s\n", ref.to_string().c_str());
  return 0;
}

CommandRegistration reg_models("models", [](CLI::App& app) {
  auto* sub = app.add_subcommand("models", "List or delete model versions");
  sub->require_subcommand(1);
  auto o = std::make_shared<ModelsOptions>();
  auto* list = sub->add_subcommand("list", "List model versions");
  list->add_option("name", o->name, "Only versions of this model");
  list->add_flag("--json", o->json, "JSON output");
  list->add_flag("--all", o->all, "Include deleted versions");
  add_registry_options(list, o->reg);
  auto* del = sub->add_subcommand("delete", "Delete NAME:N (refused while deployed)");
  del->add_option("version", o->ref, "NAME:N")->required();
  add_registry_options(del, o->reg, true);
  return [o, list]() { return list->parsed() ? run_list(*o) : run_delete(*o); };
});

}  // namespace
}  // namespace cellar::cli
