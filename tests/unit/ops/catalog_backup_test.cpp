#include "ops/catalog_backup.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <fstream>

#include "support/test_support.h"

namespace cellar::ops {
namespace {

void exec(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(h);
  sqlite3_close(h);
}

std::vector<std::string> names(const std::filesystem::path& db) {
  sqlite3* h = nullptr;
  sqlite3_open(db.c_str(), &h);
  std::vector<std::string> out;
  sqlite3_exec(
      h, "SELECT name FROM models ORDER BY id",
      [](void* v, int, char** cols, char**) {
        static_cast<std::vector<std::string>*>(v)->push_back(cols[0]);
        return 0;
      },
      &out, nullptr);
  sqlite3_close(h);
  return out;
}

TEST(CatalogBackup, RoundTripRestoresEarlierState) {
  cellar::test::TempDir dir;
  auto db = dir / "catalog.db", bak = dir / "backup.db";
  exec(db, "CREATE TABLE models(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO models(name) VALUES ('a'), ('b');");
  // Many rows so the copy takes several backup steps.
  exec(db, "CREATE TABLE blobs(x BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<2000) "
           "INSERT INTO blobs SELECT randomblob(1000) FROM n;");
  auto stats = backup_catalog(db, bak);
  EXPECT_GT(stats.pages, 256);
  EXPECT_GT(stats.bytes, 2'000'000u);

  exec(db, "DELETE FROM models WHERE name='a'; INSERT INTO models(name) VALUES ('oops');");
  EXPECT_EQ(names(db), (std::vector<std::string>{"b", "oops"}));
  restore_catalog(db, bak);
  EXPECT_EQ(names(db), (std::vector<std::string>{"a", "b"}));

  auto fresh = dir / "new" / "catalog.db";  // restoring onto a machine with no catalogue yet
  restore_catalog(fresh, bak);
  EXPECT_EQ(names(fresh), (std::vector<std::string>{"a", "b"}));
}

TEST(CatalogBackup, RefusesMissingOrForeignFiles) {
  cellar::test::TempDir dir;
  EXPECT_THROW(backup_catalog(dir / "none.db", dir / "out.db"), BackupError);
  EXPECT_FALSE(std::filesystem::exists(dir / "none.db"));  // not created by the attempt
  std::ofstream(dir / "notes.txt") << std::string(4096, 'x');
  EXPECT_THROW(restore_catalog(dir / "catalog.db", dir / "notes.txt"), BackupError);
  EXPECT_THROW(restore_catalog(dir / "catalog.db", dir / "missing.db"), BackupError);
}

TEST(CatalogBackup, DefaultPathFollowsCellarHome) {
  const char* old = std::getenv("CELLAR_HOME");
  std::string saved = old ? old : "";
  setenv("CELLAR_HOME", "/srv/cellar", 1);
  EXPECT_EQ(default_catalog_path(), std::filesystem::path("/srv/cellar/catalog.db"));
  unsetenv("CELLAR_HOME");
  EXPECT_EQ(default_catalog_path().filename(), "catalog.db");
  EXPECT_EQ(default_catalog_path().parent_path().filename(), ".cellar");
  if (old) setenv("CELLAR_HOME", saved.c_str(), 1);
}

}  // namespace
}  // namespace cellar::ops
