#include "gateway/codec/coverage_codec.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace fieldproof::codec {
namespace {

using json = nlohmann::ordered_json;

json Counts(const core::CoverageCounts& c) {
  return {{"assets", c.assets},
          {"compliant", c.compliant},
          {"due_soon", c.due_soon},
          {"overdue", c.overdue},
          {"never_inspected", c.never_inspected},
          {"percent_covered", std::round(c.PercentCovered() * 10) / 10}};
}

json Activity(const core::ActivityCounts& a) {
  return {{"verified", a.verified},
          {"verified_with_defects", a.verified_with_defects},
          {"needs_review", a.needs_review},
          {"rejected", a.rejected}};
}

json Time(const std::optional<core::UnixMillis>& t) {
  return t ? json(core::FormatRfc3339(*t)) : json(nullptr);
}

}  // namespace

std::string EncodeCoverageReport(const core::CoverageReport& r, std::size_t overdue_limit) {
  json j = {{"site", r.site},
            {"as_of", core::FormatRfc3339(r.as_of)},
            {"due_soon_days", r.due_soon_days}};
  j["total"] = Counts(r.total);
  json buildings = json::array();
  for (const auto& [building, counts] : r.by_building) {
    json b = Counts(counts);
    b["building"] = building;
    buildings.push_back(std::move(b));
  }
  j["by_building"] = std::move(buildings);
  json floors = json::array();
  for (const auto& [key, counts] : r.by_floor) {
    json f = Counts(counts);
    f["building"] = key.first;
    f["floor"] = key.second;
    floors.push_back(std::move(f));
  }
  j["by_floor"] = std::move(floors);
  json types = json::array();
  for (const auto& [type, counts] : r.by_type) {
    json t = Counts(counts);
    t["asset_type"] = type;
    types.push_back(std::move(t));
  }
  j["by_asset_type"] = std::move(types);
  json trend = json::array();
  for (const auto& p : r.trend) {
    json t = Counts(p.counts);
    t["month"] = p.month;
    trend.push_back(std::move(t));
  }
  j["trend"] = std::move(trend);
  json overdue = json::array();
  for (const auto& o : r.overdue) {
    if (overdue_limit > 0 && overdue.size() == overdue_limit) break;
    overdue.push_back({{"asset_id", o.asset_id},
                       {"building", o.building},
                       {"floor", o.floor},
                       {"location", o.location},
                       {"asset_type", o.asset_type},
                       {"last_verified", Time(o.last_verified)},
                       {"due_at", Time(o.due_at)},
                       {"days_overdue", o.days_overdue}});
  }
  j["overdue_count"] = r.overdue.size();
  j["overdue"] = std::move(overdue);
  j["activity_days"] = r.activity_days;
  j["activity"] = Activity(r.activity);
  j["open_reviews"] = r.open_reviews;
  json technicians = json::array();
  for (const auto& [technician, counts] : r.by_technician) {
    json t = Activity(counts);
    t["technician_id"] = technician;
    technicians.push_back(std::move(t));
  }
  j["by_technician"] = std::move(technicians);
  return j.dump(2) + "\n";
}

}  // namespace fieldproof::codec
