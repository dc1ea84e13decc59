// GET /api/v1/me (every token) and /api/v1/rejected (operators).
#include "gateway/codec/view_codec.hpp"
#include "gateway/http/routes.hpp"
#include "gateway/store/event_store.hpp"

namespace fieldproof::http {
namespace {

Response Me(Call& c) { return JsonReply(codec::EncodePrincipal(c.principal)); }

Response Rejected(Call& c) {
  c.Require(core::Capability::kOperate);
  return JsonReply(
      codec::EncodeRejectedPage(store::ListRejected(c.db, c.Param("site"), c.PageParams())));
}

}  // namespace

std::vector<Route> OperatorRoutes() {
  return {{bhttp::verb::get, "/me", Me}, {bhttp::verb::get, "/rejected", Rejected}};
}

}  // namespace fieldproof::http
