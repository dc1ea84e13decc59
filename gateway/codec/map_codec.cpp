#include "gateway/codec/map_codec.hpp"

#include "gateway/codec/json_output.hpp"

namespace fieldproof::codec {
namespace {

using namespace json_output;

json PlanJson(const core::FloorPlan& p) {
  return {{"building", p.building},
          {"floor", p.floor},
          {"media_type", core::MediaType(p.image.format)},
          {"width_px", p.image.width_px},
          {"height_px", p.image.height_px},
          {"origin_x_m", p.origin_x_m},
          {"origin_y_m", p.origin_y_m},
          {"width_m", p.width_m},
          {"height_m", p.HeightM()},
          {"imported_at", Time(p.imported_at)},
          {"imported_by", p.imported_by}};
}

json MarkerJson(const core::MapMarker& m) {
  return {{"asset_id", m.asset_id},
          {"location", m.location},
          {"asset_type", m.asset_type},
          {"x_m", m.x_m},
          {"y_m", m.y_m},
          {"state", core::ToString(m.state)},
          {"schedule", core::ToString(m.schedule.state)},
          {"last_verified", Time(m.schedule.last_verified)},
          {"due_at", Time(m.schedule.due_at)},
          {"open_work_orders", m.open_work_orders},
          {"open_alarms", m.open_alarms}};
}

}  // namespace

std::string EncodePlanList(std::string_view site, std::span<const core::PlanSummary> plans) {
  return Dump({{"site", site}, {"plans", Array(plans, [](const core::PlanSummary& s) {
                                  json plan = PlanJson(s.plan);
                                  plan["assets"] = s.assets;
                                  return plan;
                                })}});
}

std::string EncodeFloorMap(const core::FloorMap& map) {
  json counts = json::object();
  for (std::size_t i = 0; i < core::kMarkerStateCount; ++i) {
    counts[std::string(core::ToString(static_cast<core::MarkerState>(i)))] = map.counts[i];
  }
  return Dump({{"site", map.plan.site},
               {"plan", PlanJson(map.plan)},
               {"counts", counts},
               {"markers", Array(std::span(map.markers), MarkerJson)},
               {"off_plan", Array(std::span(map.off_plan), MarkerJson)}});
}

}  // namespace fieldproof::codec
