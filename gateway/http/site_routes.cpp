// GET /api/v1/sites, /sites/{site}/coverage, /assets, /assets/{asset}, /assets/{asset}/tags,
// /records, /work-orders: what a site holds, as far as the principal sees it.
#include "gateway/codec/coverage_codec.hpp"
#include "gateway/codec/view_codec.hpp"
#include "gateway/core/coverage.hpp"
#include "gateway/http/routes.hpp"
#include "gateway/store/asset_page.hpp"
#include "gateway/store/coverage_store.hpp"
#include "gateway/store/site_queries.hpp"
#include "gateway/store/tag_store.hpp"
#include "gateway/store/work_orders.hpp"

namespace fieldproof::http {
namespace {

using core::Capability;

Response Sites(Call& c) {
  c.Require(Capability::kReadSites);
  return JsonReply(codec::EncodeSites(store::VisibleSites(c.db, c.Owner())));
}

Response Coverage(Call& c) {
  c.Require(Capability::kReadSites);
  const std::string& site = c.VisibleSite(c.args.at(0));
  const core::UnixMillis as_of = c.DayParam("as_of", /*end=*/true).value_or(Now());
  const auto report = core::BuildCoverageReport(store::LoadCoverageInputs(
      c.db, {site, as_of, c.IntParam("due_soon_days", 30, 0, 365), 12, 30, c.Owner()}));
  const auto overdue_limit = static_cast<std::size_t>(c.IntParam("overdue_limit", 100, 1, 100000));
  return JsonReply(codec::EncodeCoverageReport(report, overdue_limit));
}

Response Assets(Call& c) {
  c.Require(Capability::kReadSites);
  store::AssetFilter filter{c.VisibleSite(c.Param("site")), c.Param("building"), std::nullopt,
                            c.Owner(), c.Param("q")};
  if (!c.Param("floor").empty()) filter.floor = static_cast<int>(c.IntParam("floor", 0, -100, 1000));
  return JsonReply(codec::EncodeAssetPage(store::ListAssets(c.db, filter, c.PageParams())));
}

// The asset page: ?from= and ?to= (dates) bound the sensor charts, the last 90 days by default.
Response AssetPage(Call& c) {
  c.Require(Capability::kReadSites);
  store::AssetPageRequest request{c.VisibleSite(c.Param("site")), c.args.at(0), c.Owner(), Now()};
  request.telemetry_to = c.DayParam("to", /*end=*/true).value_or(request.as_of);
  request.telemetry_from = c.DayParam("from", /*end=*/false).value_or(request.telemetry_to - 90 * core::kDay);
  const auto page = store::LoadAssetPage(c.db, request);
  if (!page) Fail(bhttp::status::not_found, "no asset " + request.asset_id + " at " + request.site);
  return JsonReply(codec::EncodeAssetPage(*page));
}

// Every tag the asset has carried: who installed it, how that was proved, why it was retired.
Response AssetTags(Call& c) {
  c.Require(Capability::kReadSites);
  const std::string site = c.VisibleSite(c.Param("site"));  // A copy: Param's string is gone.
  const std::string& asset = c.args.at(0);
  if (!store::AssetVisible(c.db, site, asset, c.Owner())) {
    Fail(bhttp::status::not_found, "no asset " + asset + " at " + site);
  }
  return JsonReply(codec::EncodeTagHistory(site, asset, store::TagStore(c.db).History(site, asset)));
}

Response Records(Call& c) {
  c.Require(Capability::kReadSites);
  const store::RecordFilter filter{c.VisibleSite(c.Param("site")), c.Param("asset"), c.Owner()};
  return JsonReply(codec::EncodeRecordPage(store::ListRecords(c.db, filter, c.PageParams())));
}

Response WorkOrders(Call& c) {
  c.Require(Capability::kReadSites);
  const std::string status = c.Param("status");
  if (!status.empty() && status != "open" && status != "done") {
    Fail(bhttp::status::bad_request, "status must be open or done");
  }
  const store::WorkOrderFilter filter{c.VisibleSite(c.Param("site")), c.Param("asset"), status, c.Owner()};
  return JsonReply(codec::EncodeWorkOrderPage(store::ListWorkOrders(c.db, filter, c.PageParams())));
}

}  // namespace

std::vector<Route> SiteRoutes() {
  return {{bhttp::verb::get, "/sites", Sites},
          {bhttp::verb::get, "/sites/{site}/coverage", Coverage},
          {bhttp::verb::get, "/assets", Assets},
          {bhttp::verb::get, "/assets/{asset}", AssetPage},
          {bhttp::verb::get, "/assets/{asset}/tags", AssetTags},
          {bhttp::verb::get, "/records", Records},
          {bhttp::verb::get, "/work-orders", WorkOrders}};
}

}  // namespace fieldproof::http
