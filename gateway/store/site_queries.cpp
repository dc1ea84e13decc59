#include "gateway/store/site_queries.hpp"

#include <map>

#include "gateway/store/owner_filter.hpp"
#include "gateway/store/read_page.hpp"
#include "gateway/store/record_chain.hpp"

namespace fieldproof::store {
namespace {

// The end of the last verified inspection of asset row `a`, as column last_verified.
constexpr const char* kLastVerified =
    "(SELECT max(ended_at) FROM maintenance_records m WHERE m.site = a.site AND "
    "m.asset_id = a.asset_id AND m.verdict IN ('verified', 'verified_with_defects')) "
    "AS last_verified";

// `text` matched as it is inside a LIKE pattern (ESCAPE '\'): % and _ are no wildcards.
std::string LikeLiteral(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') escaped.push_back('\\');
    escaped.push_back(c);
  }
  return escaped;
}

}  // namespace

bool SiteVisible(Database& db, const std::string& site, const std::string& owner) {
  auto s = db.Prepare("SELECT 1 FROM assets WHERE site = ?1 AND (?2 = '' OR owner_id = ?2) LIMIT 1");
  s.Bind(1, site).Bind(2, owner);
  const bool seen = s.Step();
  s.Reset();
  return seen;
}

bool AssetVisible(Database& db, const std::string& site, const std::string& asset_id,
                  const std::string& owner) {
  if (owner.empty()) return true;
  auto s = db.Prepare("SELECT 1 FROM assets WHERE site = ?1 AND asset_id = ?2 AND owner_id = ?3");
  s.Bind(1, site).Bind(2, asset_id).Bind(3, owner);
  const bool seen = s.Step();
  s.Reset();
  return seen;
}

std::vector<core::SiteSummary> VisibleSites(Database& db, const std::string& owner) {
  std::vector<core::SiteSummary> sites;
  // Walks the assets' primary key from one site to the next instead of grouping every row.
  auto next = db.Prepare("SELECT site FROM assets WHERE site > ? ORDER BY site LIMIT 1");
  auto count =
      db.Prepare("SELECT count(*) AS assets FROM assets WHERE site = ?1 AND (?2 = '' OR owner_id = ?2)");
  for (std::string after;;) {
    next.Bind(1, after);
    if (!next.Step()) break;
    after = next.Text("site");
    next.Reset();
    count.Bind(1, after).Bind(2, owner);
    count.Step();
    const std::int64_t assets = count.Int("assets");
    count.Reset();
    if (assets > 0) sites.push_back({after, assets});
  }
  return sites;
}

core::Page<core::AssetSummary> ListAssets(Database& db, const AssetFilter& filter,
                                          core::PageRequest page) {
  auto s = db.Prepare(
      std::string("SELECT site, asset_id, building, floor, location, asset_type, interval_days, "
                  "sensor_equipped, ") +
      kLastVerified +
      " FROM assets a WHERE site = ?1 AND (?2 = '' OR building = ?2) AND (?3 IS NULL OR floor = ?3) "
      "AND (?6 = '' OR owner_id = ?6) AND (?7 = '' OR asset_id LIKE ?8 || '%' ESCAPE '\\' "
      "OR location LIKE '%' || ?8 || '%' ESCAPE '\\' OR tag_uid = upper(?7)) "
      "ORDER BY building, floor, asset_id LIMIT ?4 OFFSET ?5");
  s.Bind(1, filter.site).Bind(2, filter.building).BindOptional(3, filter.floor);
  s.Bind(4, page.limit + 1).Bind(5, page.offset).Bind(6, filter.owner);
  s.Bind(7, filter.search).Bind(8, LikeLiteral(filter.search));
  return ReadPage<core::AssetSummary>(s, page, [](const Statement& row) {
    return core::AssetSummary{row.Text("site"),          row.Text("asset_id"),
                              row.Text("building"),      row.Int("floor"),
                              row.Text("location"),      row.Text("asset_type"),
                              row.Int("interval_days"),  row.Int("sensor_equipped") != 0,
                              row.OptionalInt("last_verified")};
  });
}

std::vector<core::HandheldAsset> SiteSnapshot(Database& db, const std::string& site) {
  std::map<std::string, std::vector<std::string>> work_orders;
  auto open = db.Prepare(
      "SELECT asset_id, 'WO-' || id AS work_order FROM work_orders WHERE site = ? AND "
      "status = 'open' ORDER BY id");
  open.Bind(1, site);
  while (open.Step()) work_orders[open.Text("asset_id")].push_back(open.Text("work_order"));
  auto s = db.Prepare(
      std::string("SELECT asset_id, asset_type, building, floor, location, ") + kLastVerified +
      ", (SELECT max(next_due_at) FROM maintenance_records m WHERE m.site = a.site AND "
      "m.asset_id = a.asset_id) AS next_due "
      "FROM assets a WHERE site = ? ORDER BY asset_id");
  s.Bind(1, site);
  std::vector<core::HandheldAsset> assets;
  while (s.Step()) {
    const std::string id = s.Text("asset_id");
    const auto orders = work_orders.find(id);
    assets.push_back({id, s.Text("asset_type"), s.Text("building"), s.Int("floor"),
                      s.Text("location"), s.OptionalInt("last_verified"), s.OptionalInt("next_due"),
                      orders == work_orders.end() ? std::vector<std::string>{} : orders->second});
  }
  return assets;
}

core::Page<core::MaintenanceRecord> ListRecords(Database& db, const RecordFilter& filter,
                                                core::PageRequest page) {
  // One asset's records by its index, sorted after: left to itself, SQLite walks the whole
  // site's chain backwards by seq to find an asset's few records.
  const bool one_asset = !filter.asset_id.empty();
  auto s = db.Prepare(std::string("SELECT ") + kRecordColumns + " FROM maintenance_records m " +
                      (one_asset ? "INDEXED BY maintenance_by_asset WHERE site = ?1 AND asset_id = ?2"
                                 : "WHERE site = ?1 AND ?2 = ''") +
                      " AND " + OwnedBy("m", 5) + " ORDER BY seq DESC LIMIT ?3 OFFSET ?4");
  s.Bind(1, filter.site).Bind(2, filter.asset_id).Bind(3, page.limit + 1).Bind(4, page.offset);
  s.Bind(5, filter.owner);
  return ReadPage<core::MaintenanceRecord>(s, page, ReadRecord);
}

}  // namespace fieldproof::store
