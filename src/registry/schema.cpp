#include "registry/schema.h"

#include <array>
#include <string>

namespace cellar::registry {
namespace {

// Never edit a shipped migration: append a new one.
constexpr std::array<const char*, 3> kMigrations = {
    R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO meta(key, value) VALUES ('generation', '0'), ('audit_head_seq', '0'), ('audit_head_hash', '');

CREATE TABLE models (
  id              INTEGER PRIMARY KEY,
  name            TEXT NOT NULL,
  version         INTEGER NOT NULL CHECK (version >= 1),
  sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
  size_bytes      INTEGER NOT NULL,
  architecture    TEXT NOT NULL,
  parameter_count INTEGER NOT NULL,
  quantization    TEXT NOT NULL,
  source_path     TEXT NOT NULL,
  note            TEXT,
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  deleted_by      TEXT,
  deleted_at      TEXT,
  UNIQUE (name, version)
);
CREATE INDEX models_sha256 ON models(sha256);

CREATE TABLE templates (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  version       INTEGER NOT NULL CHECK (version >= 1),
  system_prompt TEXT NOT NULL,
  chat_template TEXT,
  parameters    TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  UNIQUE (name, version)
);

CREATE TABLE deployments (
  name        TEXT PRIMARY KEY,
  model_id    INTEGER NOT NULL REFERENCES models(id),
  template_id INTEGER REFERENCES templates(id),
  parameters  TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  updated_by  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE deployment_history (
  id          INTEGER PRIMARY KEY,
  deployment  TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('deploy', 'rollback')),
  model_id    INTEGER NOT NULL REFERENCES models(id),
  template_id INTEGER REFERENCES templates(id),
  parameters  TEXT NOT NULL,
  reason      TEXT,
  actor       TEXT NOT NULL,
  at          TEXT NOT NULL
);
CREATE INDEX deployment_history_name ON deployment_history(deployment, id);

CREATE TABLE api_keys (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  role       TEXT NOT NULL CHECK (role IN ('user', 'operator', 'admin')),
  key_hash   TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64),
  key_prefix TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_by TEXT,
  revoked_at TEXT
);

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  object    TEXT NOT NULL,
  before    TEXT,
  after     TEXT,
  reason    TEXT,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log(object);
CREATE INDEX audit_log_at ON audit_log(at);
)sql",
    // Per-request timings for `cellar report latency` (no prompt text).
    R"sql(
CREATE TABLE request_timings (
  id                INTEGER PRIMARY KEY,
  at                TEXT NOT NULL,
  deployment        TEXT NOT NULL,
  model_version     TEXT NOT NULL,
  template_version  TEXT,
  prompt_tokens     INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  ttft_us           INTEGER,
  total_us          INTEGER NOT NULL,
  status            INTEGER NOT NULL
);
CREATE INDEX request_timings_deployment_at ON request_timings(deployment, at);
)sql",
    // Per-deployment guard policies (guard/policy.h JSON), audited as deployment.guard_policy.
    R"sql(
CREATE TABLE guard_policies (
  deployment TEXT PRIMARY KEY,
  policy     TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
)sql",
};

}  // namespace

int current_schema_version() { return static_cast<int>(kMigrations.size()); }

void migrate(Database& db) {
  int have = static_cast<int>(db.query_int("PRAGMA user_version"));
  if (have > current_schema_version()) {
    throw StorageError("catalogue schema version " + std::to_string(have) + " is newer than this Cellar (" +
                       std::to_string(current_schema_version()) + "): upgrade cellar");
  }
  if (have == current_schema_version()) return;
  db.write_transaction([&] {
    // Re-read under the write lock: another process may have migrated meanwhile.
    int from = static_cast<int>(db.query_int("PRAGMA user_version"));
    for (int v = from; v < current_schema_version(); ++v) {
      db.exec(kMigrations[static_cast<size_t>(v)]);
    }
    db.exec("PRAGMA user_version = " + std::to_string(current_schema_version()));
  });
}

}  // namespace cellar::registry
