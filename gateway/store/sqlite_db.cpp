#include "gateway/store/sqlite_db.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <utility>

namespace fieldproof::store {
namespace {

// One write lock per database file in this process, alive while a connection uses it.
std::shared_ptr<FifoLock> WriteLockFor(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<FifoLock>> locks;
  std::error_code ignored;
  const std::string key = std::filesystem::weakly_canonical(path, ignored).string();
  std::lock_guard guard(mutex);
  auto& slot = locks[key.empty() ? path : key];
  auto lock = slot.lock();
  if (!lock) slot = lock = std::make_shared<FifoLock>();
  return lock;
}

[[noreturn]] void Throw(sqlite3* db, int code, std::string_view context) {
  throw StoreError(code, std::string(context) + ": " +
                             (db ? sqlite3_errmsg(db) : sqlite3_errstr(code)));
}

void Check(sqlite3* db, int code, std::string_view context) {
  if (code != SQLITE_OK) Throw(db, code, context);
}

}  // namespace

bool FifoLock::try_lock_for(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  waiting_.push_back(ticket);
  if (!turn_.wait_for(lock, timeout, [&] { return !held_ && waiting_.front() == ticket; })) {
    waiting_.erase(std::find(waiting_.begin(), waiting_.end(), ticket));
    turn_.notify_all();  // The next in line may be free to go now.
    return false;
  }
  waiting_.pop_front();
  held_ = true;
  return true;
}

void FifoLock::unlock() {
  {
    std::lock_guard lock(mutex_);
    held_ = false;
  }
  turn_.notify_all();
}

std::size_t FifoLock::waiting() {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

ProgressReporter::ProgressReporter(Database& db, std::chrono::milliseconds period, Report report)
    : db_(db),
      period_(period),
      report_(std::move(report)),
      start_(std::chrono::steady_clock::now()),
      next_(start_ + period) {
  sqlite3_progress_handler(db_.handle(), 10'000, &ProgressReporter::OnProgress, this);
}

ProgressReporter::~ProgressReporter() { sqlite3_progress_handler(db_.handle(), 0, nullptr, nullptr); }

int ProgressReporter::OnProgress(void* self) {
  auto& reporter = *static_cast<ProgressReporter*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (now >= reporter.next_) {
    reporter.next_ = now + reporter.period_;
    reporter.report_(std::chrono::duration_cast<std::chrono::seconds>(now - reporter.start_));
  }
  return 0;  // Never interrupts the statement.
}

bool StoreError::transient() const {
  const int primary = code_ & 0xFF;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_FULL ||
         primary == SQLITE_IOERR;
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db), stmt_(nullptr) {
  Check(db_, sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr),
        "prepare");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      column_names_(std::move(other.column_names_)) {}

Statement& Statement::Bind(int index, std::int64_t value) {
  Check(db_, sqlite3_bind_int64(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  Check(db_, sqlite3_bind_double(stmt_, index, value), "bind");
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  Check(db_, sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        "bind");
  return *this;
}

Statement& Statement::BindOptional(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  Check(db_, sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT),
        "bind");
  return *this;
}

Statement& Statement::BindNull(int index) {
  Check(db_, sqlite3_bind_null(stmt_, index), "bind");
  return *this;
}

bool Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  sqlite3_reset(stmt_);
  if (rc != SQLITE_DONE) Throw(db_, rc, "step");
  return false;
}

void Statement::Run() {
  while (Step()) {
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::Real(int column) const { return sqlite3_column_double(stmt_, column); }
bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
std::string Statement::Text(int column) const {
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  return bytes ? std::string(bytes, sqlite3_column_bytes(stmt_, column)) : std::string();
}

int Statement::Column(std::string_view name) const {
  if (column_names_.empty()) {
    const int count = sqlite3_column_count(stmt_);
    for (int i = 0; i < count; ++i) column_names_.emplace_back(sqlite3_column_name(stmt_, i));
  }
  for (std::size_t i = 0; i < column_names_.size(); ++i) {
    if (column_names_[i] == name) return static_cast<int>(i);
  }
  throw StoreError(SQLITE_RANGE, "no column " + std::string(name) + " in: " + sqlite3_sql(stmt_));
}

std::optional<std::int64_t> Statement::OptionalInt(std::string_view name) const {
  const int column = Column(name);
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::optional<std::string> Statement::OptionalText(std::string_view name) const {
  const int column = Column(name);
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

Database::Database(const std::string& path) : path_(path), write_lock_(WriteLockFor(path)) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                 nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    throw StoreError(rc, "cannot open database " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, static_cast<int>(kBusyTimeout.count()));
  // WAL lets readers (CLI, HTTP) run beside the writer; NORMAL sync survives a
  // process crash (the WAL is in the OS page cache), trading only power-loss safety
  // of the last transactions for commit speed. A 32 MiB page cache (default 2 MiB)
  // holds the hot part of the msg_id indexes, which intake probes at random: with the
  // default, two page reads from the OS per stored message. A long reader (a backup, a
  // large report) keeps the WAL from starting over, so it grows; once it does start over it
  // is cut back to kWalSizeLimitBytes, instead of keeping its largest size (and the
  // gateway's WAL index, 2 MiB per GiB) until the gateway stops.
  try {
    Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
         "PRAGMA cache_size=-32768; PRAGMA journal_size_limit=" +
         std::to_string(kWalSizeLimitBytes) + ";");
  } catch (...) {  // "file is not a database": no destructor runs, so close here.
    sqlite3_close(db_);
    throw;
  }
}

Database::~Database() { sqlite3_close(db_); }

void Database::Exec(std::string_view sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    const std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw StoreError(rc, message);
  }
}

std::int64_t Database::QueryInt(std::string_view sql) {
  Statement statement = Prepare(sql);
  const std::int64_t value = statement.Step() ? statement.Int(0) : 0;
  statement.Reset();
  return value;
}


std::int64_t Database::Changes() const { return sqlite3_changes64(db_); }

std::int64_t Database::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

std::unique_lock<FifoLock> HoldWriteLock(Database& db) {
  FifoLock& turn = db.write_lock();
  if (!turn.try_lock_for(Database::kBusyTimeout)) {
    throw StoreError(SQLITE_BUSY, "database is locked (by this process, for over 5 s)");
  }
  return std::unique_lock<FifoLock>(turn, std::adopt_lock);
}

void RollBackQuietly(Database& db) { sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr); }

StoreError CorruptData(const std::string& what) { return StoreError(SQLITE_CORRUPT, what); }

}  // namespace fieldproof::store
