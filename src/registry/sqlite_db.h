#pragma once
// Thin RAII layer over SQLite: one connection, prepared statements with typed
// binds, and write transactions that take the write lock up front
// (BEGIN IMMEDIATE) and retry when another process holds it, so the CLI and a
// running server can write to one catalogue at the same time.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "registry/errors.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cellar::registry {

class SqliteError : public StorageError {
 public:
  SqliteError(const std::string& what, int code) : StorageError(what), code_(code) {}
  int code() const { return code_; }
  bool busy() const;

 private:
  int code_;
};

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds are 1-based like SQLite's; each returns *this for chaining.
  Statement& bind(int idx, int64_t v);
  Statement& bind(int idx, std::string_view v);
  Statement& bind(int idx, const char* v) { return bind(idx, std::string_view(v)); }
  Statement& bind(int idx, const std::string& v) { return bind(idx, std::string_view(v)); }
  Statement& bind(int idx, const std::optional<std::string>& v);
  Statement& bind(int idx, const std::optional<int64_t>& v);
  Statement& bind_null(int idx);

  // Advances; true while a row is available.
  bool step();
  // Runs a statement that returns no rows.
  void run();

  bool is_null(int col) const;
  int64_t int64(int col) const;
  std::string text(int col) const;
  std::optional<std::string> opt_text(int col) const;
  std::optional<int64_t> opt_int64(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  // Opens (creating) the file with WAL, foreign keys and a busy timeout.
  explicit Database(const std::filesystem::path& path, int busy_timeout_ms = 10000);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  int64_t last_insert_rowid() const;
  int changes() const;
  int64_t query_int(std::string_view sql);

  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT. SQLITE_BUSY (another writer
  // held the lock past the busy timeout) rolls back and retries the whole body
  // with backoff; any other exception rolls back and propagates.
  void write_transaction(const std::function<void()>& body);
  bool in_transaction() const;

  // A connection is one transaction context: threads sharing it hold this
  // (recursive) lock for a whole read or write, so no thread sees another's
  // uncommitted changes or starts a transaction inside another's.
  std::unique_lock<std::recursive_mutex> lock() { return std::unique_lock(mu_); }

  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::recursive_mutex mu_;
};

}  // namespace cellar::registry
