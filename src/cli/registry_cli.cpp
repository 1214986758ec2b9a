#include "cli/registry_cli.h"

#include "registry/errors.h"
#include "registry/home.h"

namespace cellar::cli {

void add_registry_options(CLI::App* sub, RegistryOptions& opts, bool with_reason) {
  sub->add_option("--home", opts.home,
                  std::string("Registry directory (default: $CELLAR_HOME, else ~/.cellar; services use ") +
                      registry::kServiceHome + ")");
  sub->add_option("--actor", opts.actor, "Name recorded in the audit log (default: the OS user)");
  if (with_reason) sub->add_option("--reason", opts.reason, "Why, recorded in the audit log");
}

std::unique_ptr<registry::Catalog> open_catalog(const RegistryOptions& opts) {
  return std::make_unique<registry::Catalog>(registry::resolve_home(opts.home));
}

registry::Change make_change(const RegistryOptions& opts) {
  registry::Change c;
  c.actor = opts.actor ? *opts.actor : registry::os_user_name();
  if (c.actor.empty() || c.actor.size() > 128) {
    throw registry::InvalidInput("--actor must be 1-128 characters");
  }
  for (char ch : c.actor) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
      throw registry::InvalidInput("--actor must not contain control characters");
    }
  }
  if (opts.reason && opts.reason->size() > 4096) throw registry::InvalidInput("--reason is longer than 4096 characters");
  c.reason = opts.reason;
  return c;
}

}  // namespace cellar::cli
