// GET /api/v1/me (every token); /api/v1/rejected and the notifications' delivery log,
// /api/v1/notifications and POST /api/v1/notifications/{id}/replay (operators).
#include "gateway/codec/notification_codec.hpp"
#include "gateway/codec/view_codec.hpp"
#include "gateway/http/routes.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/store/notify_store.hpp"

namespace fieldproof::http {
namespace {

Response Me(Call& c) { return JsonReply(codec::EncodePrincipal(c.principal)); }

Response Rejected(Call& c) {
  c.Require(core::Capability::kOperate);
  return JsonReply(
      codec::EncodeRejectedPage(store::ListRejected(c.db, c.Param("site"), c.PageParams())));
}

Response Deliveries(Call& c) {
  c.Require(core::Capability::kOperate);
  const std::string status = c.Param("status");
  if (!status.empty() && status != "pending" && status != "delivered" && status != "failed") {
    Fail(bhttp::status::bad_request, "status must be pending, delivered or failed");
  }
  return JsonReply(codec::EncodeDeliveryPage(store::NotifyStore(c.db).Log(status, c.PageParams())));
}

// Sent again with the same idempotency key: the receiver tells a replay from a new event.
Response Replay(Call& c) {
  c.Require(core::Capability::kOperate);
  const auto id = c.IntArg(0);
  store::NotifyStore deliveries(c.db);
  if (!id || !deliveries.Replay(*id, Now())) Fail(bhttp::status::not_found, "no delivery " + c.args.at(0));
  return JsonReply(codec::EncodeDelivery(*deliveries.Delivery(*id)));
}

}  // namespace

std::vector<Route> OperatorRoutes() {
  return {{bhttp::verb::get, "/me", Me},
          {bhttp::verb::get, "/rejected", Rejected},
          {bhttp::verb::get, "/notifications", Deliveries},
          {bhttp::verb::post, "/notifications/{id}/replay", Replay}};
}

}  // namespace fieldproof::http
