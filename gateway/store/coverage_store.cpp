#include "gateway/store/coverage_store.hpp"

#include <algorithm>
#include <tuple>

#include "gateway/store/owner_filter.hpp"

namespace fieldproof::store {

core::CoverageInputs LoadCoverageInputs(Database& db, const CoverageQuery& q) {
  core::CoverageInputs in;
  in.site = q.site;
  in.as_of = q.as_of;
  in.due_soon_days = q.due_soon_days;
  in.trend_months = q.trend_months;
  in.activity_days = q.activity_days;

  // Assets in key order, so that their verified records (in the same order, from the
  // covering index) are matched by one merge instead of a hash lookup each; then sorted into
  // the report's order. Cheaper than walking assets_by_place, a table lookup per asset
  // (docs/performance.md, Coverage).
  auto assets = db.Prepare(
      "SELECT asset_id, building, floor, location, asset_type, interval_days FROM assets "
      "WHERE site = ?1 AND (?2 = '' OR owner_id = ?2) ORDER BY asset_id");
  assets.Bind(1, q.site).Bind(2, q.owner_id);
  while (assets.Step()) {
    core::ScheduledAsset a;
    a.asset_id = assets.Text(0);
    a.building = assets.Text(1);
    a.floor = static_cast<int>(assets.Int(2));
    a.location = assets.Text(3);
    a.asset_type = assets.Text(4);
    a.interval_days = assets.Int(5);
    in.assets.push_back(std::move(a));
  }

  auto verified = db.Prepare(
      "SELECT asset_id, ended_at FROM maintenance_records WHERE site = ? AND ended_at <= ? "
      "AND verdict IN ('verified', 'verified_with_defects') ORDER BY asset_id, ended_at");
  verified.Bind(1, q.site).Bind(2, q.as_of);
  std::string current;
  core::ScheduledAsset* asset = nullptr;
  std::size_t next = 0;
  while (verified.Step()) {
    std::string id = verified.Text(0);
    if (id != current) {
      // std::string and SQLite's BINARY collation both order by memcmp.
      while (next < in.assets.size() && in.assets[next].asset_id < id) ++next;
      const bool registered = next < in.assets.size() && in.assets[next].asset_id == id;
      asset = registered ? &in.assets[next] : nullptr;  // Else removed from the registry.
      current = std::move(id);
    }
    if (asset) asset->verified_at.push_back(verified.Int(1));
  }
  std::sort(in.assets.begin(), in.assets.end(), [](const auto& a, const auto& b) {
    return std::tie(a.building, a.floor, a.asset_id) < std::tie(b.building, b.floor, b.asset_id);
  });

  auto recent = db.Prepare(
      "SELECT i.technician_id, coalesce(r.decision, i.verdict) FROM inspections i "
      "LEFT JOIN reviews r ON r.inspection_id = i.id "
      "WHERE i.site = ?1 AND i.ended_at > ?2 AND i.ended_at <= ?3 AND " +
      OwnedBy("i", 4));
  recent.Bind(1, q.site).Bind(2, q.as_of - q.activity_days * 86'400'000).Bind(3, q.as_of);
  recent.Bind(4, q.owner_id);
  while (recent.Step()) in.recent.push_back({recent.Text(0), recent.Text(1)});

  // The unary plus keeps the time out of index selection, so SQLite takes the partial index
  // inspections_needing_review (the few open ones) instead of walking every inspection of
  // the site through inspections_by_time.
  auto open = db.Prepare(
      "SELECT count(*) FROM inspections i WHERE i.site = ?1 AND i.verdict = 'needs_review' "
      "AND +i.ended_at <= ?2 AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.inspection_id = i.id) "
      "AND " + OwnedBy("i", 3));
  open.Bind(1, q.site).Bind(2, q.as_of).Bind(3, q.owner_id);
  open.Step();
  in.open_reviews = open.Int(0);
  open.Reset();
  return in;
}

std::vector<std::string> AssetSites(Database& db) {
  std::vector<std::string> sites;
  auto s = db.Prepare("SELECT DISTINCT site FROM assets ORDER BY site");
  while (s.Step()) sites.push_back(s.Text(0));
  return sites;
}

}  // namespace fieldproof::store
