#pragma once
// The maintenance-record chain in SQLite: one chain per site, appended inside the
// caller's transaction (so a record and what it attests commit together).
#include <string>
#include <vector>

#include "gateway/core/maintenance_record.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

// The columns of maintenance_records that ReadRecord reads, for a SELECT list.
extern const char* const kRecordColumns;
core::MaintenanceRecord ReadRecord(const Statement& row);

class RecordChain {
 public:
  RecordChain(Database& db, core::HashFn hash) : db_(db), hash_(std::move(hash)), sql_(db) {}

  // Sets seq, prev_hash and hash from the site's chain head, then inserts.
  core::MaintenanceRecord Append(core::MaintenanceRecord record);
  std::vector<core::MaintenanceRecord> Load(const std::string& site);
  std::vector<std::string> Sites();

 private:
  Database& db_;
  core::HashFn hash_;
  StatementCache sql_;  // Append runs once per verified inspection: prepare once.
};

}  // namespace fieldproof::store
