#include "gateway/store/asset_page.hpp"

#include "gateway/codec/message_codec.hpp"
#include "gateway/store/inspection_queries.hpp"
#include "gateway/store/registry_store.hpp"
#include "gateway/store/site_queries.hpp"
#include "gateway/store/tag_store.hpp"
#include "gateway/store/work_orders.hpp"

namespace fieldproof::store {
namespace {

// A chart shows at most this many points per series; a longer window keeps every n-th.
constexpr std::size_t kMaxPoints = 2000;

core::AssetCompliance Schedule(Database& db, const core::Asset& a, const AssetPageRequest& r) {
  auto s = db.Prepare(
      "SELECT ended_at FROM maintenance_records WHERE site = ? AND asset_id = ? "
      "AND verdict IN ('verified', 'verified_with_defects') ORDER BY ended_at");
  s.Bind(1, a.site).Bind(2, a.asset_id);
  core::ScheduledAsset scheduled{a.asset_id, a.building, a.floor, a.location, a.asset_type, a.interval_days, {}};
  while (s.Step()) scheduled.verified_at.push_back(s.Int("ended_at"));
  return core::ComplianceAt(scheduled, r.as_of, r.due_soon_days);
}

void Thin(std::vector<core::ReadingPoint>& points) {
  if (points.size() <= kMaxPoints) return;
  const std::size_t step = (points.size() + kMaxPoints - 1) / kMaxPoints;
  std::vector<core::ReadingPoint> kept;
  for (std::size_t i = 0; i < points.size(); i += step) kept.push_back(points[i]);
  points = std::move(kept);
}

void ReadTelemetry(Database& db, const AssetPageRequest& r, core::AssetPage& page) {
  auto s = db.Prepare(
      "SELECT device_time, payload FROM telemetry WHERE site = ? AND asset_id = ? "
      "AND device_time BETWEEN ? AND ? ORDER BY device_time");
  s.Bind(1, r.site).Bind(2, r.asset_id).Bind(3, r.telemetry_from).Bind(4, r.telemetry_to);
  while (s.Step()) {
    const auto telemetry = codec::DecodeTelemetry(s.Text("payload"));
    if (!telemetry.ok()) continue;
    const core::UnixMillis at = s.Int("device_time");
    for (const auto& reading : telemetry.value().readings) {
      if (const auto* r = std::get_if<core::ClosingDurationReading>(&reading)) page.closing_ms.push_back({at, r->ms});
      if (const auto* r = std::get_if<core::MotorCurrentReading>(&reading)) page.motor_current_ma.push_back({at, r->ma});
      if (const auto* r = std::get_if<core::BatteryReading>(&reading)) page.battery_percent.push_back({at, r->percent});
    }
  }
  for (auto* series : {&page.closing_ms, &page.motor_current_ma, &page.battery_percent}) Thin(*series);
}

}  // namespace

std::optional<core::AssetPage> LoadAssetPage(Database& db, const AssetPageRequest& r) {
  if (!AssetVisible(db, r.site, r.asset_id, r.owner)) return std::nullopt;
  auto asset = RegistryStore(db).FindAsset(r.site, r.asset_id);
  if (!asset) return std::nullopt;
  core::AssetPage page;
  page.schedule = Schedule(db, *asset, r);
  const core::PageRequest latest{r.history_limit, 0};
  page.inspections = ListInspections(db, {r.site, 0, INT64_MAX, "", r.asset_id, r.owner}, latest);
  page.records = ListRecords(db, {r.site, r.asset_id, r.owner}, latest);
  page.work_orders = ListWorkOrders(db, {r.site, r.asset_id, "", r.owner}, {1000, 0}).items;
  page.tags = TagStore(db).History(r.site, r.asset_id);
  page.telemetry_from = r.telemetry_from;
  page.telemetry_to = r.telemetry_to;
  ReadTelemetry(db, r, page);
  page.asset = std::move(*asset);
  return page;
}

}  // namespace fieldproof::store
