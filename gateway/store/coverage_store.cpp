#include "gateway/store/coverage_store.hpp"

#include <unordered_map>

namespace fieldproof::store {

core::CoverageInputs LoadCoverageInputs(Database& db, const CoverageQuery& q) {
  core::CoverageInputs in;
  in.site = q.site;
  in.as_of = q.as_of;
  in.due_soon_days = q.due_soon_days;
  in.trend_months = q.trend_months;
  in.activity_days = q.activity_days;

  std::unordered_map<std::string, std::size_t> index;
  auto assets = db.Prepare(
      "SELECT asset_id, building, floor, location, asset_type, interval_days FROM assets "
      "WHERE site = ? ORDER BY building, floor, asset_id");
  assets.Bind(1, q.site);
  while (assets.Step()) {
    core::ScheduledAsset a;
    a.asset_id = assets.Text(0);
    a.building = assets.Text(1);
    a.floor = static_cast<int>(assets.Int(2));
    a.location = assets.Text(3);
    a.asset_type = assets.Text(4);
    a.interval_days = assets.Int(5);
    index.emplace(a.asset_id, in.assets.size());
    in.assets.push_back(std::move(a));
  }

  auto verified = db.Prepare(
      "SELECT asset_id, ended_at FROM maintenance_records WHERE site = ? AND ended_at <= ? "
      "AND verdict IN ('verified', 'verified_with_defects') ORDER BY asset_id, ended_at");
  verified.Bind(1, q.site).Bind(2, q.as_of);
  std::string current;
  core::ScheduledAsset* asset = nullptr;
  while (verified.Step()) {
    std::string id = verified.Text(0);
    if (id != current) {
      const auto it = index.find(id);
      asset = it == index.end() ? nullptr : &in.assets[it->second];  // Removed from the registry.
      current = std::move(id);
    }
    if (asset) asset->verified_at.push_back(verified.Int(1));
  }

  auto recent = db.Prepare(
      "SELECT i.technician_id, coalesce(r.decision, i.verdict) FROM inspections i "
      "LEFT JOIN reviews r ON r.inspection_id = i.id "
      "WHERE i.site = ? AND i.ended_at > ? AND i.ended_at <= ?");
  recent.Bind(1, q.site).Bind(2, q.as_of - q.activity_days * 86'400'000).Bind(3, q.as_of);
  while (recent.Step()) in.recent.push_back({recent.Text(0), recent.Text(1)});

  auto open = db.Prepare(
      "SELECT count(*) FROM inspections i WHERE i.site = ? AND i.verdict = 'needs_review' "
      "AND i.ended_at <= ? AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.inspection_id = i.id)");
  open.Bind(1, q.site).Bind(2, q.as_of);
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
