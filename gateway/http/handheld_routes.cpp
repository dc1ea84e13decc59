// GET /api/v1/handheld/snapshot?site=S: what a handheld shows when it reads a tag, kept on
// the device so that it works offline (docs/handheld.md).
#include "gateway/codec/view_codec.hpp"
#include "gateway/http/routes.hpp"
#include "gateway/store/registry_store.hpp"
#include "gateway/store/site_queries.hpp"

namespace fieldproof::http {
namespace {

// A handheld gets the sites it is registered at; an operator any.
Response Snapshot(Call& c) {
  c.Require(core::Capability::kSiteSnapshot);
  const std::string site = c.Param("site");
  const bool registered = c.principal.role != core::Role::kDevice ||
                          store::RegistryStore(c.db).FindDeviceCompany(site, c.principal.name);
  if (!registered || !store::SiteVisible(c.db, site, "")) {
    Fail(bhttp::status::not_found, "no site " + site + " for " + c.principal.name);
  }
  return JsonReply(codec::EncodeSiteSnapshot(site, Now(), c.options.asset_types,
                                             store::SiteSnapshot(c.db, site)));
}

}  // namespace

std::vector<Route> HandheldRoutes() {
  return {{bhttp::verb::get, "/handheld/snapshot", Snapshot}};
}

}  // namespace fieldproof::http
