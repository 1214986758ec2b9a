#pragma once
// Backup and restore of the SQLite catalogue with SQLite's online backup API,
// which copies a consistent snapshot even while the server is writing.
// https://www.sqlite.org/backup.html
#include <filesystem>
#include <stdexcept>

namespace cellar::ops {

class BackupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// $CELLAR_HOME/catalog.db, with CELLAR_HOME defaulting to ~/.cellar.
std::filesystem::path default_catalog_path();

struct BackupStats {
  int pages = 0;
  std::uintmax_t bytes = 0;
};

// Copies `db` to `out` (via a temporary file renamed into place, so `out` is
// never half-written). Throws BackupError when `db` is missing or not SQLite.
BackupStats backup_catalog(const std::filesystem::path& db, const std::filesystem::path& out);

// Replaces the content of `db` (created when missing) with the backup `from`,
// after checking the backup passes SQLite's quick_check.
BackupStats restore_catalog(const std::filesystem::path& db, const std::filesystem::path& from);

}  // namespace cellar::ops
