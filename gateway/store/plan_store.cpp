#include "gateway/store/plan_store.hpp"

#include <cstdio>


namespace fieldproof::store {
namespace {

core::FloorPlan ReadPlan(const Statement& s) {
  core::FloorPlan plan;
  plan.site = s.Text("site");
  plan.building = s.Text("building");
  plan.floor = static_cast<int>(s.Int("floor"));
  plan.image.format = s.Text("media_type") == core::MediaType(core::PlanFormat::kPng) ? core::PlanFormat::kPng
                                                                                     : core::PlanFormat::kSvg;
  plan.image.width_px = s.Real("width_px");
  plan.image.height_px = s.Real("height_px");
  plan.origin_x_m = s.Real("origin_x_m");
  plan.origin_y_m = s.Real("origin_y_m");
  plan.width_m = s.Real("width_m");
  plan.imported_at = s.Int("imported_at");
  plan.imported_by = s.Text("imported_by");
  return plan;
}

constexpr std::string_view kPlanColumns =
    "site, building, floor, media_type, width_px, height_px, origin_x_m, origin_y_m, width_m, "
    "imported_at, imported_by";

std::string Metres(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  return buf;
}

}  // namespace

void PlanStore::Save(const core::FloorPlan& p, std::string_view image) {
  InTransaction(db_, [&] {
    db_.Prepare(
           "INSERT INTO floor_plans (site, building, floor, media_type, width_px, height_px, "
           "origin_x_m, origin_y_m, width_m, image, imported_at, imported_by) "
           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (site, building, floor) DO UPDATE SET "
           "media_type = excluded.media_type, width_px = excluded.width_px, "
           "height_px = excluded.height_px, origin_x_m = excluded.origin_x_m, "
           "origin_y_m = excluded.origin_y_m, width_m = excluded.width_m, image = excluded.image, "
           "imported_at = excluded.imported_at, imported_by = excluded.imported_by")
        .Bind(1, p.site).Bind(2, p.building).Bind(3, p.floor)
        .Bind(4, core::MediaType(p.image.format))
        .Bind(5, p.image.width_px).Bind(6, p.image.height_px)
        .Bind(7, p.origin_x_m).Bind(8, p.origin_y_m).Bind(9, p.width_m)
        .BindBlob(10, image)
        .Bind(11, p.imported_at).Bind(12, p.imported_by)
        .Run();
  });
}

std::vector<core::PlanSummary> PlanStore::List(const std::string& site, const std::string& owner) {
  auto s = db_.Prepare(
      "SELECT " + std::string(kPlanColumns) +
      ", (SELECT count(*) FROM assets a WHERE a.site = p.site AND a.building = p.building "
      "AND a.floor = p.floor AND (?2 = '' OR a.owner_id = ?2)) AS assets "
      "FROM floor_plans p WHERE p.site = ?1 ORDER BY building, floor");
  s.Bind(1, site).Bind(2, owner);
  std::vector<core::PlanSummary> plans;
  while (s.Step()) {
    const std::int64_t assets = s.Int("assets");
    if (owner.empty() || assets > 0) plans.push_back({ReadPlan(s), assets});
  }
  return plans;
}

std::optional<core::FloorPlan> PlanStore::Find(const FloorKey& f) {
  auto s = db_.Prepare("SELECT " + std::string(kPlanColumns) +
                       " FROM floor_plans WHERE site = ? AND building = ? AND floor = ?");
  s.Bind(1, f.site).Bind(2, f.building).Bind(3, f.floor);
  if (!s.Step()) return std::nullopt;
  auto plan = ReadPlan(s);
  s.Reset();
  return plan;
}

std::optional<std::string> PlanStore::Image(const FloorKey& f) {
  auto s = db_.Prepare("SELECT image FROM floor_plans WHERE site = ? AND building = ? AND floor = ?");
  s.Bind(1, f.site).Bind(2, f.building).Bind(3, f.floor);
  if (!s.Step()) return std::nullopt;
  auto image = s.Text("image");
  s.Reset();
  return image;
}

bool PlanStore::OwnerHasAssetsOn(const FloorKey& f, const std::string& owner) {
  if (owner.empty()) return true;
  auto s = db_.Prepare(
      "SELECT 1 FROM assets WHERE site = ? AND building = ? AND floor = ? AND owner_id = ? LIMIT 1");
  s.Bind(1, f.site).Bind(2, f.building).Bind(3, f.floor).Bind(4, owner);
  const bool found = s.Step();
  s.Reset();
  return found;
}

std::vector<core::MapMarker> PlanStore::Markers(const FloorKey& f, const std::string& owner,
                                                core::UnixMillis as_of, std::int64_t due_soon_days) {
  // Only the last verified inspection decides the schedule's state.
  auto s = db_.Prepare(
      "SELECT a.asset_id, a.location, a.asset_type, a.x_m, a.y_m, a.interval_days, "
      "(SELECT max(m.ended_at) FROM maintenance_records m WHERE m.site = a.site "
      "AND m.asset_id = a.asset_id AND m.ended_at <= ?5 "
      "AND m.verdict IN ('verified', 'verified_with_defects')) AS last_verified, "
      "(SELECT count(*) FROM work_orders w WHERE w.site = a.site AND w.asset_id = a.asset_id "
      "AND w.status = 'open') AS open_work_orders, "
      "(SELECT count(*) FROM alarms x WHERE x.site = a.site AND x.asset_id = a.asset_id "
      "AND x.status != 'closed') AS open_alarms "
      "FROM assets a WHERE a.site = ?1 AND a.building = ?2 AND a.floor = ?3 "
      "AND (?4 = '' OR a.owner_id = ?4) ORDER BY a.asset_id");
  s.Bind(1, f.site).Bind(2, f.building).Bind(3, f.floor).Bind(4, owner).Bind(5, as_of);
  std::vector<core::MapMarker> markers;
  while (s.Step()) {
    core::MapMarker m;
    m.asset_id = s.Text("asset_id");
    m.location = s.Text("location");
    m.asset_type = s.Text("asset_type");
    m.x_m = s.Real("x_m");
    m.y_m = s.Real("y_m");
    core::ScheduledAsset scheduled{m.asset_id, f.building, f.floor, m.location, m.asset_type,
                                   s.Int("interval_days"), {}};
    if (const auto last = s.OptionalInt("last_verified")) scheduled.verified_at.push_back(*last);
    m.schedule = core::ComplianceAt(scheduled, as_of, due_soon_days);
    m.open_work_orders = s.Int("open_work_orders");
    m.open_alarms = s.Int("open_alarms");
    markers.push_back(std::move(m));
  }
  return markers;
}

ImportReport PlanStore::SetPositions(const std::string& site,
                                     std::span<const codec::RegistryFile<core::AssetPosition>::Row> rows,
                                     core::UnixMillis now) {
  ImportReport report;
  InTransaction(db_, [&] {
    auto floor_of = db_.Prepare("SELECT building, floor, x_m, y_m FROM assets WHERE site = ? AND asset_id = ?");
    auto move = db_.Prepare("UPDATE assets SET x_m = ?, y_m = ?, updated_at = ? WHERE site = ? AND asset_id = ?");
    for (const auto& [line, p] : rows) {
      floor_of.Bind(1, site).Bind(2, p.asset_id);
      if (!floor_of.Step()) {
        report.errors.push_back({line, "no asset " + p.asset_id + " at " + site});
        continue;
      }
      const FloorKey key{site, floor_of.Text("building"), static_cast<int>(floor_of.Int("floor"))};
      const bool unchanged = floor_of.Real("x_m") == p.x_m && floor_of.Real("y_m") == p.y_m;
      floor_of.Reset();
      const auto plan = Find(key);
      if (plan && !plan->Covers(p.x_m, p.y_m)) {
        report.errors.push_back(
            {line, p.asset_id + " at (" + Metres(p.x_m) + ", " + Metres(p.y_m) + ") m lies outside the plan of " +
                       key.building + " floor " + std::to_string(key.floor) + " (x " + Metres(plan->origin_x_m) +
                       " to " + Metres(plan->origin_x_m + plan->width_m) + ", y " + Metres(plan->origin_y_m) +
                       " to " + Metres(plan->origin_y_m + plan->HeightM()) + ")"});
        continue;
      }
      if (unchanged) {
        ++report.unchanged;
        continue;
      }
      move.Bind(1, p.x_m).Bind(2, p.y_m).Bind(3, now).Bind(4, site).Bind(5, p.asset_id).Run();
      ++report.updated;
    }
  });
  return report;
}

}  // namespace fieldproof::store
