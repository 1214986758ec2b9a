#pragma once
// Options every registry subcommand shares (--home, --actor, --reason) and
// the objects they open. The actor is the OS user unless a script names one.
#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "registry/audit_log.h"
#include "registry/catalog.h"

namespace cellar::cli {

struct RegistryOptions {
  std::optional<std::string> home;
  std::optional<std::string> actor;
  std::optional<std::string> reason;
};

// --home and --actor on `sub`; --reason too when `with_reason`.
void add_registry_options(CLI::App* sub, RegistryOptions& opts, bool with_reason = false);

std::unique_ptr<registry::Catalog> open_catalog(const RegistryOptions& opts);
// Who acts (validated --actor, else the OS user) and why.
registry::Change make_change(const RegistryOptions& opts);

}  // namespace cellar::cli
