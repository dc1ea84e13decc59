#include "gateway/store/work_orders.hpp"

namespace fieldproof::store {

void OpenWorkOrders(Database& db, const std::string& site, const std::string& asset_id,
                    std::int64_t inspection_id, const std::string& defects_json,
                    core::UnixMillis now) {
  db.Prepare(
        "INSERT INTO work_orders (site, asset_id, inspection_id, defect_code, severity, note, "
        "created_at) SELECT ?, ?, ?, json_extract(value, '$.code'), "
        "json_extract(value, '$.severity'), coalesce(json_extract(value, '$.note'), ''), ? "
        "FROM json_each(?)")
      .Bind(1, site).Bind(2, asset_id).Bind(3, inspection_id).Bind(4, now)
      .Bind(5, defects_json).Run();
}

}  // namespace fieldproof::store
