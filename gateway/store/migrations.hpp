#pragma once
// Versioned schema. PRAGMA user_version holds the number of migrations applied;
// each migration runs in its own transaction. Add new ones at the end, never edit old ones.
#include <string>

#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

int LatestSchemaVersion();
// The database's schema version, read together with its schema: a health check that the
// file still answers.
int SchemaVersion(Database& db);
// Brings the database to the latest version; throws StoreError if the file is newer
// than this build understands.
void Migrate(Database& db);
// Stops at `target_version` (never goes back): for tests that build a database as an
// earlier release left it.
void MigrateTo(Database& db, int target_version);
// What upgrading from `from_version` will spend long on, to say before it starts, e.g.
// "version 10 rebuilds the telemetry table (...)"; empty when nothing is slow.
std::string SlowUpgradeNote(Database& db, int from_version);

}  // namespace fieldproof::store
