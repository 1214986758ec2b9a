#include <gtest/gtest.h>

#include "registry/schema.h"
#include "registry/template_registry.h"
#include "registry_fixture.h"

namespace cellar::registry::test {
namespace {

using CatalogTest = RegistryTest;

TEST_F(CatalogTest, OpensWithWalForeignKeysAndCurrentSchema) {
  Database& db = catalog().db();
  Statement mode = db.prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.step());
  EXPECT_EQ(mode.text(0), "wal");
  EXPECT_EQ(db.query_int("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(db.query_int("PRAGMA user_version"), current_schema_version());
  EXPECT_TRUE(std::filesystem::is_directory(home() / "blobs"));
}

TEST_F(CatalogTest, ReopeningKeepsDataAndDoesNotRemigrate) {
  catalog().set_setting(actor("ann"), "memory_budget", "8G");
  catalog_.reset();
  Catalog again(home());
  EXPECT_EQ(again.setting("memory_budget"), "8G");
  EXPECT_EQ(again.db().query_int("PRAGMA user_version"), current_schema_version());
}

TEST_F(CatalogTest, RefusesACatalogueFromANewerCellar) {
  catalog().db().exec("PRAGMA user_version = " + std::to_string(current_schema_version() + 1));
  catalog_.reset();
  try {
    Catalog newer(home());
    FAIL() << "opened a newer schema";
  } catch (const StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos);
  }
}

TEST_F(CatalogTest, ForeignKeysAreEnforced) {
  EXPECT_THROW(catalog().db().exec("INSERT INTO deployments(name, model_id, parameters, revision, updated_by, "
                                   "updated_at) VALUES ('x', 999, '{}', 1, 'a', 'b')"),
               SqliteError);
}

TEST_F(CatalogTest, GenerationIncreasesOnEveryChangeOnly) {
  int64_t g0 = catalog().generation();
  catalog().set_setting(actor("ann"), "keep_alive", "5m");
  int64_t g1 = catalog().generation();
  EXPECT_GT(g1, g0);
  // A second connection (another process) sees the change too.
  Catalog other(home());
  EXPECT_EQ(other.generation(), g1);
  TemplateRegistry(other).set("t", TemplateSpec{"hi", std::nullopt, nlohmann::json::object()}, actor("bob"));
  EXPECT_GT(catalog().generation(), g1);
  // A refused change does not move it.
  int64_t g2 = catalog().generation();
  EXPECT_THROW(TemplateRegistry(catalog()).set("t", TemplateSpec{"hi", std::nullopt, nlohmann::json::object()},
                                               actor("bob")),
               Conflict);
  EXPECT_EQ(catalog().generation(), g2);
}

TEST_F(CatalogTest, SettingChangesAreAudited) {
  catalog().set_setting(actor("ann", "more models"), "memory_budget", "8G");
  catalog().set_setting(actor("bob"), "memory_budget", "16G");
  auto rows = catalog().audit().list({});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].action, "config.set");
  EXPECT_EQ(rows[1].object, "setting:memory_budget");
  EXPECT_EQ(rows[1].actor, "bob");
  EXPECT_EQ(nlohmann::json::parse(*rows[1].before)["value"], "8G");
  EXPECT_EQ(nlohmann::json::parse(*rows[1].after)["value"], "16G");
  EXPECT_EQ(rows[0].reason, "more models");
}

}  // namespace
}  // namespace cellar::registry::test
