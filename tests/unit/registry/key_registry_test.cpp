#include <gtest/gtest.h>

#include <set>

#include "registry/key_registry.h"
#include "registry_fixture.h"

namespace cellar::registry::test {
namespace {

using KeyRegistryTest = RegistryTest;

TEST_F(KeyRegistryTest, CreatedKeyAuthenticatesWithItsRole) {
  KeyRegistry keys(catalog());
  EXPECT_FALSE(keys.any_keys_exist());
  auto admin = keys.create("root-ops", Role::Admin, actor("ann"));
  auto user = keys.create("app", Role::User, actor("ann"));
  EXPECT_TRUE(keys.any_keys_exist());
  EXPECT_EQ(admin.token.rfind("cellar_sk_", 0), 0u);
  EXPECT_EQ(admin.token.size(), 10u + 43u);
  auto p = keys.authenticate(admin.token);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->key_name, "root-ops");
  EXPECT_EQ(p->role, Role::Admin);
  EXPECT_EQ(keys.authenticate(user.token)->role, Role::User);
}

TEST_F(KeyRegistryTest, WrongMalformedAndRevokedKeysFail) {
  KeyRegistry keys(catalog());
  auto k = keys.create("app", Role::Operator, actor("ann"));
  std::string wrong = k.token;
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(keys.authenticate(wrong));
  EXPECT_FALSE(keys.authenticate(""));
  EXPECT_FALSE(keys.authenticate("Bearer " + k.token));
  EXPECT_FALSE(keys.authenticate(k.token.substr(0, 20)));
  keys.revoke("app", actor("bob"));
  EXPECT_FALSE(keys.authenticate(k.token));
  EXPECT_FALSE(keys.any_keys_exist());
  EXPECT_THROW(keys.revoke("app", actor("bob")), Conflict);
  EXPECT_THROW(keys.revoke("nobody", actor("bob")), NotFound);
  EXPECT_THROW(keys.create("app", Role::User, actor("bob")), Conflict);
  auto listed = keys.list();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_TRUE(listed[0].revoked_at);
  EXPECT_TRUE(keys.list(false).empty());
}

TEST_F(KeyRegistryTest, OnlyTheHashIsStored) {
  KeyRegistry keys(catalog());
  auto k = keys.create("app", Role::User, actor("ann"));
  std::string secret_part = k.token.substr(14);  // beyond the shown prefix
  catalog_.reset();  // flush the WAL into the main file
  for (const char* f : {"catalog.db", "catalog.db-wal"}) {
    if (!std::filesystem::exists(home() / f)) continue;
    EXPECT_EQ(cellar::test::read_file(home() / f).find(secret_part), std::string::npos) << f;
  }
}

TEST_F(KeyRegistryTest, KeysAreRandom) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) seen.insert(generate_api_key());
  EXPECT_EQ(seen.size(), 50u);
}

TEST(Roles, AreOrderedUserOperatorAdmin) {
  EXPECT_TRUE(role_allows(Role::Admin, Role::Operator));
  EXPECT_TRUE(role_allows(Role::Operator, Role::User));
  EXPECT_TRUE(role_allows(Role::User, Role::User));
  EXPECT_FALSE(role_allows(Role::User, Role::Operator));
  EXPECT_FALSE(role_allows(Role::Operator, Role::Admin));
  EXPECT_EQ(parse_role("operator"), Role::Operator);
  EXPECT_EQ(role_name(Role::Admin), "admin");
  EXPECT_THROW(parse_role("root"), InvalidInput);
}

}  // namespace
}  // namespace cellar::registry::test
