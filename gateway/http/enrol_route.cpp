// POST /api/v1/enrol {"code"}: a handheld's app exchanges its one-time code for its own
// broker account and API token (docs/handheld.md). No bearer token: the code is the
// credential, valid once and for a limited time; the per-address rate limit holds.
#include <spdlog/spdlog.h>

#include "gateway/codec/view_codec.hpp"
#include "gateway/core/enrolment_code.hpp"
#include "gateway/crypto/random.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/http/routes.hpp"
#include "gateway/store/enrolment_store.hpp"
#include "gateway/store/token_store.hpp"

namespace fieldproof::http {

Response Enrol(store::Database& db, const Request& request, const ApiOptions& options) {
  if (request.method() != bhttp::verb::post) {
    Response res = Reply(bhttp::status::method_not_allowed,
                         codec::EncodeError("this resource answers POST"));
    res.set(bhttp::field::allow, "POST");
    return res;
  }
  if (!options.open_device_account) {
    Fail(bhttp::status::service_unavailable,
         "this gateway enrols no handhelds (start it with --devices-broker and --broker-admin-file)");
  }
  std::string error;
  const auto typed = codec::DecodeEnrolRequest(request.body(), &error);
  if (!typed) Fail(bhttp::status::bad_request, error);
  const auto code = core::NormalizeEnrolmentCode(*typed);
  if (!code) Fail(bhttp::status::bad_request, "an enrolment code is 16 letters and digits");
  const std::string code_hash = crypto::Sha256Hex(*code);
  store::EnrolmentStore enrolments(db);
  const auto enrolment = enrolments.Take(code_hash, Now());
  if (!enrolment) Fail(bhttp::status::not_found, "unknown, used or expired enrolment code");

  const codec::DeviceCredentials credentials{enrolment->device_id, enrolment->site,
                                             options.devices_url, crypto::RandomHex(24),
                                             "fp_" + crypto::RandomHex(32)};
  try {
    options.open_device_account(credentials.site, credentials.device_id, credentials.password);
  } catch (const std::exception& e) {
    enrolments.Release(code_hash);
    spdlog::error("http: enrolling {}: {}", credentials.device_id, e.what());
    Fail(bhttp::status::service_unavailable,
         "the broker did not open the account; try the same code again shortly");
  }
  store::TokenStore(db, crypto::Sha256Hex)
      .Replace({credentials.device_id, core::Role::kDevice, ""}, credentials.api_token, Now());
  spdlog::info("http: handheld {} of {} enrolled", credentials.device_id, credentials.site);
  return JsonReply(codec::EncodeDeviceCredentials(credentials));
}

}  // namespace fieldproof::http
