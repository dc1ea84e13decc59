// GET /api/v1/inspections, /inspections/{id}; GET and POST /api/v1/reviews.
#include "gateway/codec/view_codec.hpp"
#include "gateway/http/routes.hpp"
#include "gateway/store/inspection_queries.hpp"
#include "gateway/store/site_queries.hpp"
#include "gateway/verify/review.hpp"

namespace fieldproof::http {
namespace {

using core::Capability;

constexpr std::int64_t kReviewQueueLimit = 500;

core::UnixMillis TimeParam(const Call& c, const char* key, core::UnixMillis fallback) {
  const std::string text = c.Param(key);
  if (text.empty()) return fallback;
  const auto t = core::ParseRfc3339(text);
  if (!t) Fail(bhttp::status::bad_request, std::string(key) + " must be an RFC 3339 time");
  return *t;
}

// The inspection if the principal sees its asset (an unknown tag's only the all-seeing
// roles); else 404, as if it did not exist.
core::InspectionDetail VisibleInspection(Call& c, std::int64_t id) {
  auto detail = store::FindInspection(c.db, id);
  const auto& i = detail ? detail->inspection : core::InspectionSummary{};
  if (!detail || !store::SiteVisible(c.db, i.site, c.Owner()) ||
      !store::AssetVisible(c.db, i.site, i.asset_id.value_or(""), c.Owner())) {
    Fail(bhttp::status::not_found, "no inspection " + std::to_string(id));
  }
  return std::move(*detail);
}

Response Inspections(Call& c) {
  c.Require(Capability::kReadSites);
  const store::InspectionFilter filter{c.VisibleSite(c.Param("site")),
                                       TimeParam(c, "from", 0),
                                       TimeParam(c, "to", INT64_MAX),
                                       c.Param("verdict"),
                                       c.Param("asset"),
                                       c.Owner()};
  return JsonReply(
      codec::EncodeInspectionPage(store::ListInspections(c.db, filter, c.PageParams())));
}

Response Inspection(Call& c) {
  c.Require(Capability::kReadSites);
  const auto id = c.IntArg(0);
  if (!id) Fail(bhttp::status::not_found, "no inspection " + c.args.at(0));
  return JsonReply(codec::EncodeInspectionDetail(VisibleInspection(c, *id)));
}

// Inspections that need a person's decision.
Response OpenReviews(Call& c) {
  c.Require(Capability::kReview);
  return JsonReply(codec::EncodeInspectionList(
      store::ListAwaitingReview(c.db, c.Param("site"), kReviewQueueLimit)));
}

// The token's name is the reviewer of record.
Response Review(Call& c) {
  c.Require(Capability::kReview);
  std::string error;
  const auto request = codec::DecodeReviewRequest(c.request.body(), &error);
  if (!request) Fail(bhttp::status::bad_request, error);
  VisibleInspection(c, request->inspection_id);
  const auto record = verify::ResolveReview(
      c.db, {request->inspection_id, request->verified, request->reason, c.principal.name}, Now());
  if (!record.ok()) Refuse(record.error());
  return JsonReply(codec::EncodeReviewOutcome({request->inspection_id,
                                               request->verified ? "verified" : "rejected",
                                               c.principal.name, record.value()}));
}

}  // namespace

std::vector<Route> InspectionRoutes() {
  return {{bhttp::verb::get, "/inspections", Inspections},
          {bhttp::verb::get, "/inspections/{id}", Inspection},
          {bhttp::verb::get, "/reviews", OpenReviews},
          {bhttp::verb::post, "/reviews", Review}};
}

}  // namespace fieldproof::http
