#pragma once
// Versioned schema. PRAGMA user_version holds the number of migrations applied;
// each migration runs in its own transaction. Add new ones at the end, never edit old ones.
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

int LatestSchemaVersion();
// Brings the database to the latest version; throws StoreError if the file is newer
// than this build understands.
void Migrate(Database& db);
// Stops at `target_version` (never goes back): for tests that build a database as an
// earlier release left it.
void MigrateTo(Database& db, int target_version);

}  // namespace fieldproof::store
