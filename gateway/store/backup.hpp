#pragma once
// Online backup and restore through SQLite's backup API: page by page, from one
// consistent snapshot, while the gateway keeps writing. No command-line concerns here.
//
// Both write a temporary file beside the destination and rename it into place once it is
// complete and checked, so the destination is always either the old file or a whole new one.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace fieldproof::store {

struct CopyOptions {
  // Pages per sqlite3_backup_step; between steps the copier pauses so the gateway's writer
  // and the disk get their turn.
  int pages_per_step = 1024;
  std::chrono::milliseconds pause_between_steps{5};
  // How long a locked source or destination is retried before giving up.
  std::chrono::milliseconds busy_limit{30'000};
  // An existing destination is replaced (restore: moved aside, never deleted).
  bool replace = false;
  // Called after every step with pages copied so far and the total.
  std::function<void(std::int64_t copied, std::int64_t total)> progress;
};

struct CopySummary {
  std::int64_t pages = 0;
  std::int64_t page_size = 0;
  std::int64_t bytes = 0;  // Size of the file written.
  int schema_version = 0;
  // Rows of the tables an operator recognises, for those the schema has.
  std::vector<std::pair<std::string, std::int64_t>> rows;
  int steps = 0;
  int busy_retries = 0;
  std::int64_t elapsed_ms = 0;  // All of it: copy, check, rename.
  std::int64_t check_ms = 0;    // Of which the integrity check.
  std::string integrity;        // "integrity_check ok"
  std::string moved_aside;      // Restore: where the replaced database went; empty if none.
};

struct CopyOutcome {
  // Non-empty: refused or failed a check, with the reason for people; the destination is
  // untouched.
  std::string refused;
  CopySummary summary;
  bool ok() const { return refused.empty(); }
};

// Copies the database at `source` (which the gateway may be writing) to `destination`:
// one snapshot, stepped, checked with PRAGMA integrity_check before it is renamed into
// place. The copy is a single self-contained file (rollback-journal mode, no -wal).
// Throws StoreError when SQLite fails (I/O error, locked for longer than busy_limit).
CopyOutcome BackupDatabase(const std::string& source, const std::string& destination,
                           const CopyOptions& options);

// Puts the backup at `backup` in place of the database at `target`. Refuses a backup that
// fails integrity_check or whose schema is newer than this build, and a target that is in
// use or exists without `replace`. The replaced target and its -wal/-shm are moved aside to
// `<target>.replaced-<UTC time>`, so a mistaken restore loses nothing and a damaged file is
// kept for analysis. The restored file is in WAL mode with no stale -wal beside it.
CopyOutcome RestoreDatabase(const std::string& backup, const std::string& target,
                            const CopyOptions& options);

// True when another connection (a running gateway, a CLI command) has the database open.
// False for a missing file or one SQLite cannot read as a database.
bool DatabaseInUse(const std::string& path);

}  // namespace fieldproof::store
