#include "gateway/store/work_orders.hpp"

#include <charconv>

#include "gateway/store/owner_filter.hpp"
#include "gateway/store/read_page.hpp"

namespace fieldproof::store {

std::vector<std::string> OpenWorkOrders(Database& db, const std::string& site,
                                        const std::string& asset_id, std::int64_t inspection_id,
                                        const std::string& defects_json, core::UnixMillis now) {
  if (defects_json == "[]") return {};  // Most inspections: skip preparing the statement.
  auto insert = db.Prepare(
      "INSERT INTO work_orders (site, asset_id, inspection_id, defect_code, severity, note, "
      "created_at) SELECT ?, ?, ?, json_extract(value, '$.code'), "
      "json_extract(value, '$.severity'), coalesce(json_extract(value, '$.note'), ''), ? "
      "FROM json_each(?) RETURNING id");
  insert.Bind(1, site).Bind(2, asset_id).Bind(3, inspection_id).Bind(4, now).Bind(5, defects_json);
  std::vector<std::string> refs;
  while (insert.Step()) refs.push_back(WorkOrderRef(insert.Int(0)));
  return refs;
}

bool CompleteWorkOrder(Database& db, const std::string& site, const std::string& asset_id,
                       const std::string& ref, std::int64_t inspection_id, core::UnixMillis now) {
  const auto id = ParseWorkOrderRef(ref);
  if (!id) return false;
  db.Prepare(
        "UPDATE work_orders SET status = 'done', completed_by = ?, completed_at = ? "
        "WHERE id = ? AND site = ? AND asset_id = ? AND status = 'open'")
      .Bind(1, inspection_id).Bind(2, now).Bind(3, *id).Bind(4, site).Bind(5, asset_id).Run();
  return db.Changes() == 1;
}

std::string WorkOrderRef(std::int64_t id) { return "WO-" + std::to_string(id); }

std::optional<std::int64_t> ParseWorkOrderRef(const std::string& ref) {
  if (ref.size() < 4 || ref.compare(0, 3, "WO-") != 0) return std::nullopt;
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(ref.data() + 3, ref.data() + ref.size(), id);
  if (ec != std::errc() || end != ref.data() + ref.size() || id <= 0) return std::nullopt;
  return id;
}

std::int64_t CountOpenWorkOrders(Database& db) {
  return db.QueryInt("SELECT count(*) FROM work_orders WHERE status = 'open'");
}

core::WorkOrderRow ReadWorkOrder(const Statement& row) {
  return core::WorkOrderRow{WorkOrderRef(row.Int("id")), row.Text("asset_id"), row.Text("status"),
                            row.Int("inspection_id"), row.Text("defect_code"), row.Text("severity"),
                            row.Text("note"), row.Int("created_at"), row.OptionalInt("completed_by"),
                            row.OptionalInt("completed_at")};
}

core::Page<core::WorkOrderRow> ListWorkOrders(Database& db, const WorkOrderFilter& filter,
                                              core::PageRequest page) {
  auto s = db.Prepare(
      "SELECT id, asset_id, status, inspection_id, defect_code, severity, note, created_at, "
      "completed_by, completed_at FROM work_orders w WHERE site = ?1 AND " +
      std::string(filter.asset_id.empty() ? "?2 = ''" : "asset_id = ?2") +
      " AND (?3 = '' OR status = ?3) AND " + OwnedBy("w", 4) + " ORDER BY id DESC LIMIT ?5 OFFSET ?6");
  s.Bind(1, filter.site).Bind(2, filter.asset_id).Bind(3, filter.status).Bind(4, filter.owner);
  s.Bind(5, page.limit + 1).Bind(6, page.offset);
  return ReadPage<core::WorkOrderRow>(s, page, ReadWorkOrder);
}

}  // namespace fieldproof::store
