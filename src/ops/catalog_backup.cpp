#include "ops/catalog_backup.h"

#include <pwd.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

namespace cellar::ops {
namespace {

constexpr int kPagesPerStep = 256;
constexpr int kMaxBusyRetries = 200;  // × 50 ms: give a busy writer 10 s

using Db = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;

Db open_db(const std::filesystem::path& file, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  Db db(raw, sqlite3_close);
  if (rc != SQLITE_OK)
    throw BackupError("cannot open " + file.string() + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

void require_sqlite(sqlite3* db, const std::filesystem::path& file) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &stmt, nullptr);
  std::string verdict;
  if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
    verdict = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  else
    verdict = sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  if (verdict != "ok") throw BackupError(file.string() + " is not a healthy SQLite database: " + verdict);
}

// Copies every page of `from` into `to`, pausing when the source is busy.
BackupStats copy_pages(sqlite3* to, sqlite3* from, const std::filesystem::path& what) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) throw BackupError("cannot start backup of " + what.string() + ": " + sqlite3_errmsg(to));
  int rc = SQLITE_OK, busy = 0;
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    rc = sqlite3_backup_step(b, kPagesPerStep);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      if (++busy > kMaxBusyRetries) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  BackupStats stats{sqlite3_backup_pagecount(b), 0};
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE)
    throw BackupError("backup of " + what.string() + " failed: " + sqlite3_errstr(rc));
  return stats;
}

}  // namespace

std::filesystem::path default_catalog_path() {
  const char* home = std::getenv("CELLAR_HOME");
  if (home && *home) return std::filesystem::path(home) / "catalog.db";
  // Same resolution as the registry: $HOME, else the passwd entry.
  if (const char* user_home = std::getenv("HOME"); user_home && *user_home)
    return std::filesystem::path(user_home) / ".cellar" / "catalog.db";
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_dir && *pw->pw_dir)
    return std::filesystem::path(pw->pw_dir) / ".cellar" / "catalog.db";
  throw BackupError("cannot find the catalogue: pass --db FILE or set CELLAR_HOME");
}

BackupStats backup_catalog(const std::filesystem::path& db, const std::filesystem::path& out) {
  if (!std::filesystem::exists(db)) throw BackupError("no catalogue at " + db.string() + " (set --db or CELLAR_HOME)");
  Db src = open_db(db, SQLITE_OPEN_READONLY);
  require_sqlite(src.get(), db);
  auto tmp = out;
  tmp += ".tmp." + std::to_string(::getpid());
  std::filesystem::remove(tmp);
  BackupStats stats;
  {
    Db dst = open_db(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    stats = copy_pages(dst.get(), src.get(), db);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, out, ec);
  if (ec) {
    std::filesystem::remove(tmp);
    throw BackupError("cannot write " + out.string() + ": " + ec.message());
  }
  stats.bytes = std::filesystem::file_size(out);
  return stats;
}

BackupStats restore_catalog(const std::filesystem::path& db, const std::filesystem::path& from) {
  if (!std::filesystem::exists(from)) throw BackupError("no backup at " + from.string());
  Db src = open_db(from, SQLITE_OPEN_READONLY);
  require_sqlite(src.get(), from);
  if (db.has_parent_path()) std::filesystem::create_directories(db.parent_path());
  BackupStats stats;
  {
    Db dst = open_db(db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    stats = copy_pages(dst.get(), src.get(), from);
  }
  stats.bytes = std::filesystem::file_size(db);
  return stats;
}

}  // namespace cellar::ops
