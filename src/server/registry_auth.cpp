#include "server/registry_auth.h"

namespace cellar::server {

RegistryAuthenticator::RegistryAuthenticator(const std::filesystem::path& home, bool always_required)
    : catalog_(std::make_unique<registry::Catalog>(home)),
      keys_(std::make_unique<registry::KeyRegistry>(*catalog_)),
      always_required_(always_required) {}

std::optional<Principal> RegistryAuthenticator::authenticate(const std::string& token) const {
  auto who = keys_->authenticate(token);
  if (!who) return std::nullopt;
  return Principal{who->key_name, {}, who->role};
}

bool RegistryAuthenticator::required() const { return always_required_ || any_keys(); }

bool RegistryAuthenticator::any_keys() const { return keys_->any_keys_exist(); }

}  // namespace cellar::server
