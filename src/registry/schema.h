#pragma once
// Versioned catalogue schema. Migration i (1-based) takes the catalogue from
// PRAGMA user_version i-1 to i; all pending ones run at open inside one write
// transaction, so a crash mid-upgrade leaves the previous version intact.
#include "registry/sqlite_db.h"

namespace cellar::registry {

// The schema version this build writes.
int current_schema_version();

// Applies every pending migration. Throws StorageError when the catalogue was
// written by a newer Cellar (user_version above ours).
void migrate(Database& db);

}  // namespace cellar::registry
