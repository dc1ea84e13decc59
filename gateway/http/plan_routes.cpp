// GET /api/v1/plans, /plans/{building}/{floor} (the floor map) and
// /plans/{building}/{floor}/image: floor plans with every asset the asker sees on them
// (docs/coverage.md, "Floor plans").
#include "gateway/codec/map_codec.hpp"
#include "gateway/http/routes.hpp"
#include "gateway/store/plan_store.hpp"

namespace fieldproof::http {
namespace {

using core::Capability;

// The floor the path names, if the asker sees its site.
store::FloorKey Floor(Call& c) {
  const std::string site = c.VisibleSite(c.Param("site"));  // A copy: Param's string is gone.
  const auto floor = c.IntArg(1);
  if (!floor || *floor < -100 || *floor > 1000) {
    Fail(bhttp::status::not_found, "a floor is a whole number from -100 to 1000, not " + c.args.at(1));
  }
  return {site, c.args.at(0), static_cast<int>(*floor)};
}

[[noreturn]] void NoPlan(const store::FloorKey& f) {
  Fail(bhttp::status::not_found, "no plan of " + f.building + " floor " + std::to_string(f.floor) + " at " +
                                     f.site + " (fieldproof plan import)");
}

Response Plans(Call& c) {
  c.Require(Capability::kReadSites);
  const std::string site = c.VisibleSite(c.Param("site"));
  return JsonReply(codec::EncodePlanList(site, store::PlanStore(c.db).List(site, c.Owner())));
}

// An owner sees the map of a floor where it has assets, with those assets only.
Response FloorMap(Call& c) {
  c.Require(Capability::kReadSites);
  const store::FloorKey floor = Floor(c);
  store::PlanStore plans(c.db);
  auto plan = plans.Find(floor);
  if (!plan || !plans.OwnerHasAssetsOn(floor, c.Owner())) NoPlan(floor);
  const core::UnixMillis as_of = c.DayParam("as_of", /*end=*/true).value_or(Now());
  auto markers = plans.Markers(floor, c.Owner(), as_of, c.IntParam("due_soon_days", 30, 0, 365));
  return JsonReply(codec::EncodeFloorMap(core::BuildFloorMap(std::move(*plan), std::move(markers))));
}

// The drawing as imported. An SVG is served so that nothing in it could run even if opened
// on its own in the dashboard's origin.
Response PlanImage(Call& c) {
  c.Require(Capability::kReadSites);
  const store::FloorKey floor = Floor(c);
  store::PlanStore plans(c.db);
  const auto plan = plans.Find(floor);
  if (!plan || !plans.OwnerHasAssetsOn(floor, c.Owner())) NoPlan(floor);
  Response res = Reply(bhttp::status::ok, *plans.Image(floor), std::string(core::MediaType(plan->image.format)).c_str());
  res.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  res.set("X-Content-Type-Options", "nosniff");
  res.set(bhttp::field::cache_control, "private, no-cache");
  return res;
}

}  // namespace

std::vector<Route> PlanRoutes() {
  return {{bhttp::verb::get, "/plans", Plans},
          {bhttp::verb::get, "/plans/{building}/{floor}", FloorMap},
          {bhttp::verb::get, "/plans/{building}/{floor}/image", PlanImage}};
}

}  // namespace fieldproof::http
