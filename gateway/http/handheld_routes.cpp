// The handheld app's own calls (docs/handheld.md): GET /api/v1/handheld/snapshot?site=S,
// what a handheld shows when it reads a tag, kept on the device so that it works offline;
// POST /api/v1/handheld/sign-in, a technician's id and PIN checked for the handheld.
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include "gateway/codec/view_codec.hpp"
#include "gateway/core/technician_pin.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/http/routes.hpp"
#include "gateway/store/pin_store.hpp"
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

bool PinMatches(const store::StoredPin& stored, const std::string& pin) {
  const std::string hash = crypto::Pbkdf2Sha256Hex(pin, stored.salt, stored.iterations);
  return hash.size() == stored.hash.size() &&
         CRYPTO_memcmp(hash.data(), stored.hash.data(), hash.size()) == 0;
}

// 403 for a wrong PIN, counted towards the lock; 429 while locked. Whatever is wrong (no such
// technician here, no PIN set, a wrong PIN) answers the same, so that the handheld learns
// nothing but "no"; only a lock says so, with its end.
void CheckPin(store::PinStore& pins, const codec::SignInRequest& request, bool known,
              const std::string& handheld, core::UnixMillis now) {
  const std::string refused = "technician " + request.technician_id + " or PIN not accepted";
  const auto stored = known ? pins.Find(request.site, request.technician_id) : std::nullopt;
  if (!stored) {
    crypto::Pbkdf2Sha256Hex(request.pin, "-", core::kPinIterations);  // As slow as a wrong PIN.
    Fail(bhttp::status::forbidden, refused);
  }
  if (stored->attempts.LockedAt(now)) {
    Fail(bhttp::status::too_many_requests, "too many wrong PINs: sign-in for " + request.technician_id +
                                               " is locked until " +
                                               core::FormatRfc3339(stored->attempts.locked_until));
  }
  if (!PinMatches(*stored, request.pin)) {
    pins.SaveAttempts(request.site, request.technician_id, core::AfterWrongPin(stored->attempts, now));
    spdlog::warn("http: wrong PIN for {} on {}", request.technician_id, handheld);
    Fail(bhttp::status::forbidden, refused);
  }
}

Response SignIn(Call& c) {
  c.Require(core::Capability::kSignIn);
  std::string error;
  const auto request = codec::DecodeSignInRequest(c.request.body(), &error);
  if (!request) Fail(bhttp::status::bad_request, error);
  store::RegistryStore registry(c.db);
  if (!registry.FindDeviceCompany(request->site, c.principal.name)) {
    Fail(bhttp::status::not_found, "no site " + request->site + " for " + c.principal.name);
  }
  const auto technician = registry.FindTechnician(request->site, request->technician_id);
  store::PinStore pins(c.db);
  const core::UnixMillis now = Now();
  CheckPin(pins, *request, technician.has_value(), c.principal.name, now);
  pins.SignedIn(request->site, request->technician_id, c.principal.name, now);
  return JsonReply(codec::EncodeSignedIn(*technician));
}

}  // namespace

std::vector<Route> HandheldRoutes() {
  return {{bhttp::verb::get, "/handheld/snapshot", Snapshot},
          {bhttp::verb::post, "/handheld/sign-in", SignIn}};
}

}  // namespace fieldproof::http
