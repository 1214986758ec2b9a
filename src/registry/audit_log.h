#pragma once
// Append-only, hash-chained audit log. Every registry change appends one row
// in the same transaction as the change itself, so the log can never disagree
// with the catalogue. Row hash = SHA-256(prev_hash "\n" canonical_json(row)),
// and the newest (seq, hash) is mirrored into `meta`, so editing, deleting or
// reordering rows — or dropping the newest one — breaks the chain.
// An attacker who rewrites the whole chain and meta consistently is not
// detectable from inside the database: `cellar audit verify` prints the head
// hash so it can be recorded elsewhere.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/sqlite_db.h"

namespace cellar::registry {

// Who makes a change and why. `actor` is the OS user for the CLI, the API key
// name for the server.
struct Change {
  std::string actor;
  std::optional<std::string> reason;
};

struct AuditEntry {
  int64_t seq = 0;
  std::string at;
  std::string actor;
  std::string action;  // "model.import", "deployment.rollback", ...
  std::string object;  // "model:llama:2", "deployment:prod", "key:ci", ...
  std::optional<std::string> before;  // JSON text, absent for creations
  std::optional<std::string> after;   // JSON text, absent for deletions
  std::optional<std::string> reason;
  std::string prev_hash;
  std::string hash;

  nlohmann::json to_json() const;
};

struct AuditFilter {
  std::optional<std::string> since;   // normalised timestamp (timestamps.h)
  // Matches the object exactly, by kind/name prefix ("model:llama" matches
  // "model:llama:2") or by bare name ("llama").
  std::optional<std::string> object;
  std::optional<int64_t> limit;       // newest N after filtering
};

struct AuditVerifyResult {
  bool ok = true;
  int64_t rows = 0;
  std::optional<int64_t> bad_seq;  // first row that does not verify
  std::string problem;
  std::string head_hash;
};

class AuditLog {
 public:
  explicit AuditLog(Database& db) : db_(db) {}

  // Must run inside a write transaction (asserted).
  void append(const Change& change, std::string_view action, std::string_view object,
              const nlohmann::json& before, const nlohmann::json& after);

  std::vector<AuditEntry> list(const AuditFilter& filter);
  AuditVerifyResult verify();

  // The canonical text that is hashed for a row.
  static std::string canonical(const AuditEntry& e);
  static std::string chain_hash(const std::string& prev_hash, const AuditEntry& e);

 private:
  Database& db_;
};

bool audit_object_matches(std::string_view object, std::string_view query);

}  // namespace cellar::registry
