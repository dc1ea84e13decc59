#include "gateway/store/integrity.hpp"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>

namespace fieldproof::store {
namespace {

constexpr std::string_view kNotADatabase = "file is not a database";

struct CloseConnection {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};

}  // namespace

IntegrityReport CheckIntegrity(const std::string& path, IntegrityCheckMode mode,
                               int max_findings) {
  IntegrityReport report;
  std::error_code ec;
  if (mode == IntegrityCheckMode::kOff || !std::filesystem::exists(path, ec) ||
      std::filesystem::file_size(path, ec) == 0) {
    return report;
  }
  report.check = mode == IntegrityCheckMode::kFull ? "integrity_check" : "quick_check";
  const auto start = std::chrono::steady_clock::now();
  auto finish = [&report, start](std::optional<std::string> error) {
    if (error) report.findings.push_back(std::move(*error));
    report.ok = report.findings.empty();
    report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
    return report;
  };

  // Read-write without create: reading a WAL database needs its -shm, and a path that
  // vanished meanwhile must not become an empty database.
  sqlite3* raw = nullptr;
  const int open_rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
  std::unique_ptr<sqlite3, CloseConnection> db(raw);
  if (open_rc != SQLITE_OK) {
    return finish(raw ? sqlite3_errmsg(raw) : sqlite3_errstr(open_rc));
  }
  sqlite3_busy_timeout(db.get(), 5000);
  // Looking must not write: a WAL left by a crash stays where it is, not folded into a
  // file that may be damaged.
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  // SQLite stops after this many lines; enough to say how bad it is.
  const std::string sql = "PRAGMA " + report.check + "(100)";
  sqlite3_stmt* raw_statement = nullptr;
  if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw_statement, nullptr) != SQLITE_OK) {
    return finish(sqlite3_errmsg(db.get()));  // "file is not a database" lands here.
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw_statement, sqlite3_finalize);
  int rc;
  std::int64_t lines = 0;
  while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement.get(), 0));
    // A row may hold several findings, one per line.
    std::istringstream row(text ? text : "");
    for (std::string line; std::getline(row, line);) {
      if (line == "ok" || line == "*** in database main ***") continue;
      if (++lines <= max_findings) {
        report.findings.push_back(line);
      } else {
        ++report.more_findings;
      }
    }
  }
  if (rc != SQLITE_DONE) {
    // Some damage stops the check itself ("database disk image is malformed").
    if (lines < max_findings) return finish(sqlite3_errmsg(db.get()));
    ++report.more_findings;
  }
  return finish(std::nullopt);
}

std::string DamageAdvice(const std::string& path, const IntegrityReport& report) {
  const bool not_a_database =
      report.findings.size() == 1 && report.findings[0].find(kNotADatabase) != std::string::npos;
  std::string message;
  if (not_a_database) {
    message = "database " + path + " is not a SQLite database (SQLite: " +
              std::string(kNotADatabase) + ").\n";
  } else {
    message = "database " + path + " is damaged; SQLite" +
              (report.check.empty() ? "" : "'s " + report.check) + " reported:\n";
    for (const auto& finding : report.findings) message += "    " + finding + "\n";
    if (report.more_findings > 0) {
      message += "    (and " + std::to_string(report.more_findings) + " more)\n";
    }
  }
  message +=
      "Nothing more was written to it. Stop every program that uses it, then restore the last "
      "good backup (the damaged file is kept beside it, renamed, for analysis):\n"
      "    fieldproof restore --from BACKUP.db --db " +
      path +
      " --force\n"
      "Backups are made with `fieldproof backup --db " +
      path + " --to BACKUP.db` (docs/operations.md, \"Backup and restore\").";
  return message;
}

std::optional<std::string> FindDamage(const std::string& path, IntegrityCheckMode mode) {
  const IntegrityReport report = CheckIntegrity(path, mode);
  if (report.ok) return std::nullopt;
  return DamageAdvice(path, report);
}

bool IsDamage(int sqlite_code) {
  const int primary = sqlite_code & 0xFF;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

}  // namespace fieldproof::store
