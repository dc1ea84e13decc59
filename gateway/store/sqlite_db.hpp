#pragma once
// A thin RAII layer over the SQLite C API. Failures throw StoreError; the store's
// public classes catch it where a caller needs a result instead.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

// SQLite's own types, declared here so that <sqlite3.h> stays inside gateway/store.
struct sqlite3;
struct sqlite3_stmt;

namespace fieldproof::store {

class StoreError : public std::runtime_error {
 public:
  StoreError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }
  // Worth retrying: the database is locked or the disk is full, not broken.
  bool transient() const;

 private:
  int code_;
};

// Stored data that does not read back (a document that no longer decodes).
StoreError CorruptData(const std::string& what);

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<std::int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view text);
  // NULL for an absent value.
  Statement& BindOptional(int index, const std::optional<std::string>& text);
  template <class Int>
    requires std::is_integral_v<Int>
  Statement& BindOptional(int index, const std::optional<Int>& value) {
    return value ? Bind(index, static_cast<std::int64_t>(*value)) : BindNull(index);
  }
  // NULL for empty text (a column where "none" is NULL, not "").
  Statement& BindOrNull(int index, std::string_view text) {
    return text.empty() ? BindNull(index) : Bind(index, text);
  }
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);

  bool Step();  // true while a row is available; resets itself when done.
  void Run();   // Step to completion, then reset.
  void Reset();

  std::int64_t Int(int column) const;
  double Real(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;

  // The same by the column's name in the result (its `AS` alias, else the column's own
  // name): rows are read by name, so a reordered SELECT cannot shift a field.
  // StoreError when the result has no such column.
  int Column(std::string_view name) const;
  std::int64_t Int(std::string_view name) const { return Int(Column(name)); }
  std::string Text(std::string_view name) const { return Text(Column(name)); }
  double Real(std::string_view name) const { return Real(Column(name)); }
  bool IsNull(std::string_view name) const { return IsNull(Column(name)); }
  std::optional<std::int64_t> OptionalInt(std::string_view name) const;
  std::optional<std::string> OptionalText(std::string_view name) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  // The result's column names, read once: sqlite3_column_name takes the connection's mutex.
  mutable std::vector<std::string> column_names_;
};

// A lock taken in the order asked for: a writer that commits and at once wants the next
// transaction (verification working through a backlog) goes behind the intake writer
// already waiting, instead of winning the race to the mutex again and again.
class FifoLock {
 public:
  // False after `timeout` without the lock.
  bool try_lock_for(std::chrono::milliseconds timeout);
  void unlock();
  std::size_t waiting();  // Threads queued for the lock now.

 private:
  std::mutex mutex_;
  std::condition_variable turn_;
  std::deque<std::uint64_t> waiting_;
  std::uint64_t next_ticket_ = 0;
  bool held_ = false;
};

class Database {
 public:
  // Opens (creating if needed) and applies the connection settings: WAL, foreign
  // keys, a busy timeout so the CLI and the gateway can share the file.
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void Exec(std::string_view sql);
  Statement Prepare(std::string_view sql) { return Statement(db_, sql); }
  std::int64_t Changes() const;
  std::int64_t LastInsertRowId() const;
  std::int64_t QueryInt(std::string_view sql);
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }
  // Shared by every connection this process has open on the same file (see InTransaction).
  FifoLock& write_lock() { return *write_lock_; }

  static constexpr std::chrono::milliseconds kBusyTimeout{5000};
  static constexpr std::int64_t kWalSizeLimitBytes = 64 << 20;  // journal_size_limit

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
  std::shared_ptr<FifoLock> write_lock_;
};

// While it lives, and while SQLite runs statements of `db`, `report` is called with the time
// since it was made, at most once per `period` (the clock is looked at every 10,000 VM
// steps): to say that work which may run for minutes, such as a migration rebuilding a large
// table, is still going.
class ProgressReporter {
 public:
  using Report = std::function<void(std::chrono::seconds elapsed)>;
  ProgressReporter(Database& db, std::chrono::milliseconds period, Report report);
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

 private:
  static int OnProgress(void* self);

  Database& db_;
  std::chrono::milliseconds period_;
  Report report_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point next_;
};

// Prepared statements kept for reuse, keyed by their SQL: for code that runs the same
// queries for every message. Get() hands the statement back reset, with no bindings.
class StatementCache {
 public:
  explicit StatementCache(Database& db) : db_(db) {}
  Statement& Get(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) it = statements_.emplace(sql, db_.Prepare(sql)).first;
    it->second.Reset();
    return it->second;
  }

 private:
  Database& db_;
  std::unordered_map<std::string, Statement> statements_;
};

// The process's write lock on `db`'s file, taken in turn. While it is held, no writer of
// this process is inside a transaction. StoreError (SQLITE_BUSY) after kBusyTimeout.
std::unique_lock<FifoLock> HoldWriteLock(Database& db);

// Rolls back the open transaction, if any, ignoring errors (the first error is the one
// being reported).
void RollBackQuietly(Database& db);

// Runs `work` inside BEGIN IMMEDIATE ... COMMIT; rolls back if it throws.
// The gateway's writers (intake, verification, billing) queue on the process's write lock
// first: waiting on SQLite's own lock means the busy handler's sleeps of 1 to 100 ms,
// which made intake commits wait behind verification by tens of milliseconds. Other
// processes (the CLI) still meet SQLite's lock and its busy timeout.
template <class F>
void InTransaction(Database& db, F&& work) {
  const auto held = HoldWriteLock(db);
  db.Exec("BEGIN IMMEDIATE");
  try {
    work();
    db.Exec("COMMIT");
  } catch (...) {
    RollBackQuietly(db);
    throw;
  }
}

}  // namespace fieldproof::store
