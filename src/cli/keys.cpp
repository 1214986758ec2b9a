// `cellar keys create|list|revoke`: API keys with roles for the server.
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "cli/registry_cli.h"
#include "registry/key_registry.h"

namespace cellar::cli {
namespace {

struct KeysOptions {
  RegistryOptions reg;
  std::string name;
  std::string role;
  bool json = false;
};

int run_create(const KeysOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::KeyRegistry keys(*catalog);
  auto created = keys.create(o.name, registry::parse_role(o.role), make_change(o.reg));
  std::printf("%s\n", created.token.c_str());
  std::fprintf(stderr, "created %s key '%s'. This is the only time it is shown: store it now.\n",
               std::string(registry::role_name(created.info.role)).c_str(), created.info.name.c_str());
  return 0;
}

int run_list(const KeysOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::KeyRegistry keys(*catalog);
  auto all = keys.list();
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& k : all) out.push_back(k.to_json());
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  if (all.empty()) std::printf("no keys (create one with `cellar keys create --name NAME --role admin`)\n");
  for (const auto& k : all) {
    std::printf("%-24s %-9s %s...  created %s by %s%s\n", k.name.c_str(), std::string(registry::role_name(k.role)).c_str(),
                k.key_prefix.c_str(), k.created_at.c_str(), k.created_by.c_str(),
                k.revoked_at ? ("  REVOKED " + *k.revoked_at).c_str() : "");
  }
  return 0;
}

int run_revoke(const KeysOptions& o) {
  auto catalog = open_catalog(o.reg);
  registry::KeyRegistry keys(*catalog);
  keys.revoke(o.name, make_change(o.reg));
  std::printf("revoked key '%s'\n", o.name.c_str());
  return 0;
}

CommandRegistration reg_keys("keys", [](CLI::App& app) {
  auto* sub = app.add_subcommand("keys", "API keys for the server (roles: user < operator < admin)");
  sub->require_subcommand(1);
  auto o = std::make_shared<KeysOptions>();
  auto* create = sub->add_subcommand("create", "Create a key and print it once");
  create->add_option("--name", o->name, "Key name (recorded as the actor of its changes)")->required();
  create->add_option("--role", o->role, "admin, operator or user")->required();
  add_registry_options(create, o->reg, true);
  auto* list = sub->add_subcommand("list", "List keys (never their secrets)");
  list->add_flag("--json", o->json, "JSON output");
  add_registry_options(list, o->reg);
  auto* revoke = sub->add_subcommand("revoke", "Revoke a key");
  revoke->add_option("name", o->name, "Key name")->required();
  add_registry_options(revoke, o->reg, true);
  return [o, create, list]() {
    if (create->parsed()) return run_create(*o);
    if (list->parsed()) return run_list(*o);
    return run_revoke(*o);
  };
});

}  // namespace
}  // namespace cellar::cli
