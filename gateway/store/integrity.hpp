#pragma once
// Is a database file sound? SQLite's own checks (PRAGMA quick_check / integrity_check),
// run on a connection of their own so that a file that is not a database at all, or is
// damaged, gets the same answer and the same advice for the operator.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fieldproof::store {

enum class IntegrityCheckMode {
  kOff,
  kQuick,  // PRAGMA quick_check: every page and record, no index-to-table cross-check.
  kFull,   // PRAGMA integrity_check: also that every index matches its table.
};

// For command-line options (CLI::CheckedTransformer) and config files.
inline const std::map<std::string, IntegrityCheckMode> kIntegrityCheckModes = {
    {"off", IntegrityCheckMode::kOff},
    {"quick", IntegrityCheckMode::kQuick},
    {"full", IntegrityCheckMode::kFull},
};

struct IntegrityReport {
  bool ok = true;
  std::string check;                  // "quick_check", "integrity_check", or "" when skipped.
  std::vector<std::string> findings;  // What SQLite reported, first lines only.
  std::int64_t more_findings = 0;     // Lines reported beyond those kept.
  std::int64_t elapsed_ms = 0;
};

// Checks the file at `path`. A missing or empty file is sound: the gateway creates it.
// Never throws for a damaged file; what SQLite said is in the findings.
IntegrityReport CheckIntegrity(const std::string& path, IntegrityCheckMode mode,
                               int max_findings = 5);

// The message for an operator: which file, what SQLite reported, and the command that
// restores the last good backup.
std::string DamageAdvice(const std::string& path, const IntegrityReport& report);

// Start-up guard for programs that open the database: nullopt when the file may be used,
// else DamageAdvice for it.
std::optional<std::string> FindDamage(const std::string& path, IntegrityCheckMode mode);

// SQLite result codes that mean the file is damaged or not a database, not that it is busy
// or the disk is full: for turning an error met later into the same advice.
bool IsDamage(int sqlite_code);

}  // namespace fieldproof::store
