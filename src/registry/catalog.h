#pragma once
// The registry's home: CELLAR_HOME/catalog.db (SQLite, WAL) plus
// CELLAR_HOME/blobs/ (content-addressed model files). Opening runs pending
// schema migrations and sweeps leftovers of interrupted imports (temp files
// and unreferenced blobs; files an import in progress has locked are kept).
//
// Every change goes through write(): one BEGIN IMMEDIATE transaction that also
// appends the audit row and bumps the catalogue generation, a counter a
// running server polls cheaply (generation()) to notice changes made by the
// CLI or another process and reload deployments.
//
// One Catalog is one SQLite connection; threads may share it (every read and
// write holds the connection's lock), or open their own for more parallel reads.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "registry/audit_log.h"
#include "registry/blob_store.h"
#include "registry/sqlite_db.h"

namespace cellar::registry {

class Catalog {
 public:
  // Creates `home` and its layout if needed. Throws StorageError.
  explicit Catalog(const std::filesystem::path& home);

  const std::filesystem::path& home() const { return home_; }
  Database& db() { return *db_; }
  BlobStore& blobs() { return blobs_; }
  AuditLog& audit() { return audit_; }

  // Runs `body` in a write transaction (retried on lock contention, so body
  // must only touch the database) and bumps the generation.
  void write(const std::function<void()>& body);

  // Appends an audit row; only valid inside write().
  void record(const Change& change, std::string_view action, std::string_view object,
              const nlohmann::json& before, const nlohmann::json& after);

  // Monotonically increasing; changes whenever any process commits a change.
  int64_t generation();

  // Server configuration values kept in the catalogue (audited as config changes).
  std::optional<std::string> setting(std::string_view key);
  void set_setting(const Change& change, std::string_view key, std::string_view value);

  // Removes blobs that no live model version references (left by a crash
  // between publishing a blob and committing its version, or by deletes).
  // Returns how many files were removed.
  int collect_garbage();

 private:
  std::filesystem::path home_;
  std::unique_ptr<Database> db_;
  BlobStore blobs_;
  AuditLog audit_;
};

}  // namespace cellar::registry
