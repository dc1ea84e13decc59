#pragma once
// Shared by the integrity and backup tests: databases of a chosen size, and damage done to
// them the way a disk or a careless copy would. Header-only; not a test itself.
#include <filesystem>
#include <fstream>
#include <string>

#include "gateway/store/migrations.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store::testing {

// A migrated database with `taps` taps and `telemetry` telemetry rows of about 1 KiB each,
// so the file has roughly one page per four telemetry rows. Closed when this returns, so
// everything is in the main file.
inline void MakeDatabase(const std::string& path, int taps, int telemetry) {
  Database db(path);
  Migrate(db);
  const auto range = [](int n) {
    return "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " +
           std::to_string(n) + ") ";
  };
  InTransaction(db, [&] {
    if (taps > 0) {
      db.Exec(range(taps) +
              "INSERT INTO taps (site, device_id, msg_id, technician_id, kind, tag_type, "
              "tag_value, read_at, sent_at, received_at, firmware, payload) "
              "SELECT 'FRA', 'HH-0001', 'm-' || x, 'T-0001', 'start', 'uid', '04A1B2C3D4E5F6', x, "
              "x, x, 'hh-2.4.1', randomblob(200) FROM n");
    }
    if (telemetry > 0) {
      db.Exec(range(telemetry) +
              "INSERT INTO telemetry (site, asset_id, msg_id, device_time, received_at, payload) "
              "SELECT 'FRA', 'FS-0001', 't-' || x, x, x, randomblob(1000) FROM n");
    }
  });
}

// Overwrites `length` bytes at `offset` with a pattern no valid page holds.
inline void Scribble(const std::string& path, std::int64_t offset, std::int64_t length) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(offset);
  for (std::int64_t i = 0; i < length; ++i) file.put(static_cast<char>(0xA5 ^ (i * 37)));
}

// Damages the b-tree header of page `page` (1-based, 4 KiB pages) of a closed database.
inline void DamagePage(const std::string& path, std::int64_t page) {
  Scribble(path, (page - 1) * 4096, 64);
}

inline void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

inline std::int64_t Count(const std::string& path, const std::string& table) {
  Database db(path);
  return db.QueryInt("SELECT count(*) FROM " + table);
}

}  // namespace fieldproof::store::testing
