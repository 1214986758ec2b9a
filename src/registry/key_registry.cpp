#include "registry/key_registry.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "registry/names.h"
#include "registry/sha256.h"
#include "registry/timestamps.h"

namespace cellar::registry {
namespace {

constexpr size_t kKeyChars = 43;  // 43 * log2(62) > 256 bits
constexpr size_t kShownPrefix = 14;

ApiKeyInfo read_key(const Statement& st) {
  ApiKeyInfo k;
  k.id = st.int64(0);
  k.name = st.text(1);
  k.role = parse_role(st.text(2));
  k.key_prefix = st.text(3);
  k.created_by = st.text(4);
  k.created_at = st.text(5);
  k.revoked_at = st.opt_text(6);
  return k;
}

}  // namespace

std::string_view role_name(Role role) {
  switch (role) {
    case Role::User: return "user";
    case Role::Operator: return "operator";
    case Role::Admin: return "admin";
  }
  return "user";
}

Role parse_role(std::string_view text) {
  if (text == "user") return Role::User;
  if (text == "operator") return Role::Operator;
  if (text == "admin") return Role::Admin;
  throw InvalidInput("invalid role '" + std::string(text) + "': use admin, operator or user");
}

nlohmann::json ApiKeyInfo::to_json() const {
  nlohmann::json j = {{"name", name},
                      {"role", role_name(role)},
                      {"key_prefix", key_prefix},
                      {"created_by", created_by},
                      {"created_at", created_at}};
  if (revoked_at) j["revoked_at"] = *revoked_at;
  return j;
}

std::string generate_api_key() {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string key(kKeyPrefix);
  uint8_t buf[64];  // [64] random bytes per draw; bytes >= 248 are rejected to keep the choice uniform
  while (key.size() < kKeyPrefix.size() + kKeyChars) {
    if (RAND_bytes(buf, sizeof buf) != 1) throw StorageError("OpenSSL RAND_bytes failed: no entropy for a key");
    for (uint8_t b : buf) {
      if (b < 248 && key.size() < kKeyPrefix.size() + kKeyChars) key += kAlphabet[b % 62];
    }
  }
  return key;
}

CreatedKey KeyRegistry::create(const std::string& name, Role role, const Change& change) {
  require_valid_name("key", name);
  CreatedKey out;
  out.token = generate_api_key();
  ApiKeyInfo& k = out.info;
  k.name = name;
  k.role = role;
  k.key_prefix = out.token.substr(0, kShownPrefix);
  k.created_by = change.actor;
  catalog_.write([&] {
    Statement exists = catalog_.db().prepare("SELECT revoked_at FROM api_keys WHERE name = ?1");
    exists.bind(1, name);
    if (exists.step()) {
      throw Conflict("a key named '" + name + "' " + (exists.is_null(0) ? "already exists" : "was revoked") +
                     ": choose another name");
    }
    k.created_at = now_timestamp();
    catalog_.db()
        .prepare(
            "INSERT INTO api_keys(name, role, key_hash, key_prefix, created_by, created_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, k.name).bind(2, role_name(k.role)).bind(3, sha256_hex(out.token)).bind(4, k.key_prefix)
        .bind(5, k.created_by).bind(6, k.created_at)
        .run();
    k.id = catalog_.db().last_insert_rowid();
    catalog_.record(change, "key.create", "key:" + name, nullptr, k.to_json());
  });
  return out;
}

void KeyRegistry::revoke(const std::string& name, const Change& change) {
  require_valid_name("key", name);
  catalog_.write([&] {
    Statement st = catalog_.db().prepare(
        "SELECT id, name, role, key_prefix, created_by, created_at, revoked_at FROM api_keys WHERE name = ?1");
    st.bind(1, name);
    if (!st.step()) throw NotFound("no key named '" + name + "' (see `cellar keys list`)");
    ApiKeyInfo before = read_key(st);
    if (before.revoked_at) throw Conflict("key '" + name + "' was already revoked at " + *before.revoked_at);
    ApiKeyInfo after = before;
    after.revoked_at = now_timestamp();
    catalog_.db()
        .prepare("UPDATE api_keys SET revoked_at = ?1, revoked_by = ?2 WHERE id = ?3")
        .bind(1, *after.revoked_at).bind(2, change.actor).bind(3, before.id)
        .run();
    catalog_.record(change, "key.revoke", "key:" + name, before.to_json(), after.to_json());
  });
}

std::vector<ApiKeyInfo> KeyRegistry::list(bool include_revoked) {
  auto guard = catalog_.db().lock();
  Statement st = catalog_.db().prepare(
      std::string("SELECT id, name, role, key_prefix, created_by, created_at, revoked_at FROM api_keys") +
      (include_revoked ? "" : " WHERE revoked_at IS NULL") + " ORDER BY name");
  std::vector<ApiKeyInfo> out;
  while (st.step()) out.push_back(read_key(st));
  return out;
}

std::optional<Principal> KeyRegistry::authenticate(std::string_view token) {
  if (token.size() != kKeyPrefix.size() + kKeyChars || token.substr(0, kKeyPrefix.size()) != kKeyPrefix) {
    return std::nullopt;
  }
  std::string hash = sha256_hex(token);
  auto guard = catalog_.db().lock();
  Statement st = catalog_.db().prepare("SELECT name, role, key_hash FROM api_keys WHERE revoked_at IS NULL");
  std::optional<Principal> found;
  // Compare against every live key without stopping early, in constant time each.
  while (st.step()) {
    std::string stored = st.text(2);
    if (stored.size() == hash.size() && CRYPTO_memcmp(stored.data(), hash.data(), hash.size()) == 0) {
      found = Principal{st.text(0), parse_role(st.text(1))};
    }
  }
  return found;
}

bool KeyRegistry::any_keys_exist() {
  return catalog_.db().query_int("SELECT EXISTS (SELECT 1 FROM api_keys WHERE revoked_at IS NULL)") != 0;
}

}  // namespace cellar::registry
