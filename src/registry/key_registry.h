#pragma once
// API keys with roles. A key is shown once at creation ("cellar_sk_" + 43
// base62 characters = 256 random bits); the catalogue stores only its SHA-256,
// so a leaked catalogue does not leak keys. Roles are ordered
// user < operator < admin: user calls inference routes, operator also
// metrics, probes and reports, admin also every registry change.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/catalog.h"

namespace cellar::registry {

enum class Role { User = 0, Operator = 1, Admin = 2 };

std::string_view role_name(Role role);
Role parse_role(std::string_view text);  // InvalidInput
// True when a key with role `have` may call a route that needs `need`.
inline bool role_allows(Role have, Role need) { return static_cast<int>(have) >= static_cast<int>(need); }

inline constexpr std::string_view kKeyPrefix = "cellar_sk_";

struct ApiKeyInfo {
  int64_t id = 0;
  std::string name;
  Role role = Role::User;
  std::string key_prefix;  // first characters of the key, to recognise it in lists
  std::string created_by;
  std::string created_at;
  std::optional<std::string> revoked_at;

  nlohmann::json to_json() const;
};

struct CreatedKey {
  ApiKeyInfo info;
  std::string token;  // the only time the secret exists outside its owner's hands
};

// Who a request acts as.
struct Principal {
  std::string key_name;
  Role role = Role::User;
};

class KeyRegistry {
 public:
  explicit KeyRegistry(Catalog& catalog) : catalog_(catalog) {}

  CreatedKey create(const std::string& name, Role role, const Change& change);
  void revoke(const std::string& name, const Change& change);
  std::vector<ApiKeyInfo> list(bool include_revoked = true);

  // The live key whose secret is `token`, compared in constant time. nullopt
  // for malformed, unknown and revoked keys alike.
  std::optional<Principal> authenticate(std::string_view token);
  // True when at least one live key exists (the server then requires keys).
  bool any_keys_exist();

 private:
  Catalog& catalog_;
};

// A fresh random key (OpenSSL RAND_bytes).
std::string generate_api_key();

}  // namespace cellar::registry
