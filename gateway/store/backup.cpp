#include "gateway/store/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "gateway/store/integrity.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

// A bare connection: unlike Database it keeps the file's journal mode, so a backup copy can
// be made single-file and a restored one WAL, and it never creates a file unless asked.
class Connection {
 public:
  Connection(const std::string& path, int flags) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw StoreError(rc, "cannot open " + path + ": " + message);
    }
    sqlite3_busy_timeout(db_, 5000);
  }
  ~Connection() { sqlite3_close(db_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* get() { return db_; }
  void Exec(const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      const std::string message = error ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      throw StoreError(rc, message);
    }
  }
  std::int64_t QueryInt(const std::string& sql) {
    Statement statement(db_, sql);
    return statement.Step() ? statement.Int(0) : 0;
  }
  std::string QueryText(const std::string& sql) {
    Statement statement(db_, sql);
    return statement.Step() ? statement.Text(0) : std::string();
  }

 private:
  sqlite3* db_ = nullptr;
};

CopyOutcome Refuse(std::string why) { return {std::move(why), {}}; }

void RemoveWithCompanions(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path + suffix, ignored);
}

// The rename is durable only once the directory entry is on disk.
void SyncDirectoryOf(const std::string& path) {
  const fs::path dir = fs::absolute(path).parent_path();
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string UtcStamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y%m%dT%H%M%SZ", &utc);
  return text.data();
}

std::string Findings(const IntegrityReport& report) {
  std::string text;
  for (const auto& finding : report.findings) text += "\n    " + finding;
  if (report.more_findings > 0) {
    text += "\n    (and " + std::to_string(report.more_findings) + " more)";
  }
  return text;
}

// Copies every page of `from` into `to`, `pages_per_step` at a time.
void CopyPages(Connection& from, Connection& to, const CopyOptions& options,
               CopySummary& summary) {
  auto finish = [](sqlite3_backup* backup) { sqlite3_backup_finish(backup); };
  std::unique_ptr<sqlite3_backup, decltype(finish)> backup(
      sqlite3_backup_init(to.get(), "main", from.get(), "main"), finish);
  if (!backup) {
    throw StoreError(sqlite3_errcode(to.get()), std::string("backup: ") + sqlite3_errmsg(to.get()));
  }
  std::optional<SteadyClock::time_point> busy_since;
  for (;;) {
    const int rc = sqlite3_backup_step(backup.get(), options.pages_per_step);
    ++summary.steps;
    if (rc == SQLITE_OK || rc == SQLITE_DONE) {
      busy_since.reset();
      const int total = sqlite3_backup_pagecount(backup.get());
      if (options.progress) options.progress(total - sqlite3_backup_remaining(backup.get()), total);
      if (rc == SQLITE_DONE) break;
      std::this_thread::sleep_for(options.pause_between_steps);
      continue;
    }
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      ++summary.busy_retries;
      const auto now = SteadyClock::now();
      if (!busy_since) busy_since = now;
      if (now - *busy_since > options.busy_limit) {
        throw StoreError(rc, "backup: the database stayed locked for more than " +
                                 std::to_string(options.busy_limit.count()) + " ms");
      }
      std::this_thread::sleep_for(std::max(options.pause_between_steps,
                                           std::chrono::milliseconds(10)));
      continue;
    }
    // Finishing hands the step's error to the destination connection.
    sqlite3_backup_finish(backup.release());
    throw StoreError(rc, std::string("backup: ") + sqlite3_errmsg(to.get()));
  }
  const int rc = sqlite3_backup_finish(backup.release());
  if (rc != SQLITE_OK) {
    throw StoreError(rc, std::string("backup: ") + sqlite3_errmsg(to.get()));
  }
}

// What the copy holds, read back from the file written.
void Describe(const std::string& path, CopySummary& summary) {
  Connection db(path, SQLITE_OPEN_READWRITE);
  summary.pages = db.QueryInt("PRAGMA page_count");
  summary.page_size = db.QueryInt("PRAGMA page_size");
  summary.schema_version = static_cast<int>(db.QueryInt("PRAGMA user_version"));
  for (const char* table : {"taps", "telemetry", "maintenance_records", "invoices"}) {
    const std::string name = table;
    if (db.QueryInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" +
                    name + "'") == 0) {
      continue;
    }
    summary.rows.emplace_back(name, db.QueryInt("SELECT count(*) FROM " + name));
  }
}

void Finish(const std::string& partial, const std::string& destination, CopySummary& summary,
            SteadyClock::time_point start) {
  fs::rename(partial, destination);
  SyncDirectoryOf(destination);
  summary.bytes = static_cast<std::int64_t>(fs::file_size(destination));
  summary.elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start).count();
}

}  // namespace

CopyOutcome BackupDatabase(const std::string& source, const std::string& destination,
                           const CopyOptions& options) {
  const auto start = SteadyClock::now();
  std::error_code ec;
  if (!fs::exists(source, ec)) return Refuse("no database at " + source);
  if (fs::exists(destination, ec)) {
    if (fs::equivalent(source, destination, ec)) {
      return Refuse("the backup would overwrite the database itself (" + destination + ")");
    }
    if (!options.replace) return Refuse(destination + " exists; --force replaces it");
  }
  const std::string partial = destination + ".partial";
  RemoveWithCompanions(partial);
  CopyOutcome outcome;
  try {
    {
      Connection from(source, SQLITE_OPEN_READWRITE);
      // One snapshot for the whole copy. The backup API restarts from page 1 whenever
      // another process commits between two steps, which a busy gateway does every few
      // milliseconds; a read transaction held across the steps pins the snapshot, and in
      // WAL mode it does not hold up the writer (the WAL only grows meanwhile).
      const bool wal = from.QueryText("PRAGMA journal_mode") == "wal";
      if (wal) from.Exec("BEGIN; SELECT count(*) FROM sqlite_master;");
      Connection to(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      CopyPages(from, to, options, outcome.summary);
      if (wal) from.Exec("COMMIT");
      // The pages carry the source's WAL flag; a backup is one self-contained file instead,
      // which can be copied, checksummed or opened read-only anywhere.
      to.Exec("PRAGMA journal_mode=DELETE");
    }
    const IntegrityReport check = CheckIntegrity(partial, IntegrityCheckMode::kFull);
    if (!check.ok) {
      RemoveWithCompanions(partial);
      return Refuse("the copy of " + source +
                    " fails integrity_check, so the database itself is probably damaged:" +
                    Findings(check));
    }
    outcome.summary.integrity = check.check + " ok";
    outcome.summary.check_ms = check.elapsed_ms;
    Describe(partial, outcome.summary);
    Finish(partial, destination, outcome.summary, start);
  } catch (...) {
    RemoveWithCompanions(partial);
    throw;
  }
  return outcome;
}

bool DatabaseInUse(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return false;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return false;
  }
  // Every open WAL connection holds a shared lock on the file for as long as it is open;
  // exclusive locking mode asks for an exclusive one at the first read, without waiting.
  const int rc = sqlite3_exec(db, "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;",
                              nullptr, nullptr, nullptr);
  sqlite3_close(db);
  const int primary = rc & 0xFF;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

CopyOutcome RestoreDatabase(const std::string& backup, const std::string& target,
                            const CopyOptions& options) {
  const auto start = SteadyClock::now();
  std::error_code ec;
  if (!fs::exists(backup, ec)) return Refuse("no backup at " + backup);
  const bool target_exists = fs::exists(target, ec) || fs::exists(target + "-wal", ec);
  if (fs::exists(target, ec) && fs::equivalent(backup, target, ec)) {
    return Refuse("the backup and the database are the same file (" + target + ")");
  }
  const IntegrityReport check = CheckIntegrity(backup, IntegrityCheckMode::kFull);
  if (!check.ok) {
    return Refuse("the backup " + backup + " fails integrity_check; restore an older one:" +
                  Findings(check));
  }
  {
    Connection db(backup, SQLITE_OPEN_READWRITE);
    const auto version = db.QueryInt("PRAGMA user_version");
    if (version > LatestSchemaVersion()) {
      return Refuse("the backup " + backup + " has schema version " + std::to_string(version) +
                    "; this build knows up to " + std::to_string(LatestSchemaVersion()) +
                    ". Restore it with the fieldproof that wrote it, or upgrade.");
    }
    if (version == 0) {
      return Refuse(backup + " holds no fieldproof schema (version 0): not a backup of a "
                             "fieldproof database");
    }
  }
  if (target_exists) {
    if (DatabaseInUse(target)) {
      return Refuse(target + " is in use (a running gateway or fieldproof command has it "
                             "open); stop it, then restore");
    }
    if (!options.replace) {
      return Refuse(target + " exists; --force replaces it (it is moved aside, not deleted)");
    }
  }

  const std::string partial = target + ".partial";
  RemoveWithCompanions(partial);
  CopyOutcome outcome;
  try {
    {
      Connection from(backup, SQLITE_OPEN_READWRITE);
      Connection to(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      CopyPages(from, to, options, outcome.summary);
      // As the gateway would have it; closing the last connection folds the WAL back in,
      // so the file is renamed into place alone.
      to.Exec("PRAGMA journal_mode=WAL");
    }
    outcome.summary.integrity = check.check + " ok (the backup)";
    outcome.summary.check_ms = check.elapsed_ms;
    Describe(partial, outcome.summary);
    if (target_exists) {
      if (DatabaseInUse(target)) {  // Started while we copied.
        RemoveWithCompanions(partial);
        return Refuse(target + " came into use during the restore; stop it, then restore");
      }
      // The target's -wal belongs to the old file: left beside the new one, SQLite would
      // replay it over the restored pages. It moves with the file it belongs to.
      const std::string aside = target + ".replaced-" + UtcStamp();
      for (const char* suffix : {"", "-wal", "-shm"}) {
        if (fs::exists(target + suffix, ec)) fs::rename(target + suffix, aside + suffix);
      }
      outcome.summary.moved_aside = aside;
    }
    Finish(partial, target, outcome.summary, start);
  } catch (...) {
    RemoveWithCompanions(partial);
    throw;
  }
  return outcome;
}

}  // namespace fieldproof::store
