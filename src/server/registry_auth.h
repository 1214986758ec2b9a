#pragma once
// API keys from the registry (CELLAR_HOME/catalog.db, `cellar keys create`):
// the server asks the catalogue on every request, so keys created or revoked
// by the CLI while the server runs take effect at once.
#include <filesystem>
#include <memory>
#include <mutex>

#include "registry/catalog.h"
#include "registry/key_registry.h"
#include "server/auth.h"

namespace cellar::server {

class RegistryAuthenticator : public Authenticator {
 public:
  // Opens (and creates if needed) the registry at `home`. Throws registry::StorageError.
  // `always_required`: keys are needed even while none exists (a public address
  // must not fall open when the last key is revoked).
  explicit RegistryAuthenticator(const std::filesystem::path& home, bool always_required = false);

  std::optional<Principal> authenticate(const std::string& token) const override;
  bool required() const override;
  bool any_keys() const;

 private:
  std::unique_ptr<registry::Catalog> catalog_;  // pointer: the interface is const, the connection is not
  std::unique_ptr<registry::KeyRegistry> keys_;
  bool always_required_;
};

}  // namespace cellar::server
