#pragma once
// Shared by the benchmarks: a generated site's assets written into a real SQLite file in
// one go (the registry import does the same row by row with reporting, which benchmarks
// do not need).
#include "firmware-sim/site_generator.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::bench {

// Inside the caller's transaction.
inline void InsertAssets(store::Database& db, const sim::Site& site) {
  auto insert = db.Prepare(
      "INSERT INTO assets (site, asset_id, building, floor, location, x_m, y_m, asset_type, "
      "tag_uid, interval_days, owner_id, sensor_equipped, updated_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0)");
  for (const auto& a : site.assets) {
    insert.Bind(1, a.site).Bind(2, a.asset_id).Bind(3, a.building).Bind(4, static_cast<std::int64_t>(a.floor));
    insert.Bind(5, a.location).Bind(6, a.x_m).Bind(7, a.y_m).Bind(8, a.asset_type).Bind(9, a.tag_uid);
    insert.Bind(10, a.interval_days).Bind(11, a.owner_id);
    insert.Bind(12, static_cast<std::int64_t>(a.sensor_equipped));
    insert.Run();
  }
}

}  // namespace fieldproof::bench
