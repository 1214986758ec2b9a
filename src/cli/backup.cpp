// `cellar backup` / `cellar restore`: the SQLite catalogue through SQLite's
// online backup API, safe while the server runs.
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "ops/catalog_backup.h"

namespace cellar::cli {
namespace {

struct BackupOptions {
  std::string db;
  std::string file;
};

std::filesystem::path catalog(const BackupOptions& o) {
  return o.db.empty() ? ops::default_catalog_path() : std::filesystem::path(o.db);
}

CommandRegistration backup_reg("backup", [](CLI::App& app) {
  auto* sub = app.add_subcommand("backup", "Copy the catalogue to a backup file (online, consistent)");
  auto o = std::make_shared<BackupOptions>();
  sub->add_option("--db", o->db, "Catalogue (default: $CELLAR_HOME/catalog.db)");
  sub->add_option("--out", o->file, "Backup file to write")->required();
  return [o]() -> int {
    auto db = catalog(*o);
    auto stats = ops::backup_catalog(db, o->file);
    std::printf("backed up %s to %s (%d pages, %ju bytes)\n", db.c_str(), o->file.c_str(), stats.pages,
                stats.bytes);
    return 0;
  };
});

CommandRegistration restore_reg("restore", [](CLI::App& app) {
  auto* sub = app.add_subcommand("restore", "Replace the catalogue with a backup made by `cellar backup`");
  auto o = std::make_shared<BackupOptions>();
  sub->add_option("--db", o->db, "Catalogue (default: $CELLAR_HOME/catalog.db)");
  sub->add_option("--from", o->file, "Backup file to restore")->required();
  return [o]() -> int {
    auto db = catalog(*o);
    auto stats = ops::restore_catalog(db, o->file);
    std::printf("restored %s from %s (%d pages, %ju bytes)\n", db.c_str(), o->file.c_str(), stats.pages,
                stats.bytes);
    return 0;
  };
});

}  // namespace
}  // namespace cellar::cli
