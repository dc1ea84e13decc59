// PUT /api/v1/photos/{sha256} (handhelds) and GET /api/v1/photos/{sha256}: photos of
// inspections, kept under their SHA-256 (docs/handheld.md).
#include "gateway/codec/view_codec.hpp"
#include "gateway/core/image.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/http/routes.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/store/inspection_queries.hpp"
#include "gateway/store/photo_store.hpp"

namespace fieldproof::http {
namespace {

using core::Capability;

const std::string& PhotoHash(const Call& c) {
  const std::string& hash = c.args.at(0);
  if (!core::IsPhotoHash(hash)) {
    Fail(bhttp::status::not_found, "a photo is named by its SHA-256: 64 lowercase hex digits");
  }
  return hash;
}

// A refused upload is kept with the rejected messages, where an operator looks for what a
// device sent that could not be used; then the handheld gets the same reason.
[[noreturn]] void RefusePhoto(const Call& c, bhttp::status status, const std::string& detail) {
  const std::string what = "PUT /api/v1/photos/" + c.args.at(0) + " by " + c.principal.name;
  const store::PendingEvent event{what, "", c.request.body().substr(0, store::kStoredRejectedPayloadBytes),
                                  Now(), core::Rejection{core::RejectReason::kInvalidValue, detail}};
  store::EventStore(c.db).WriteBatch(std::span(&event, 1));
  Fail(status, detail);
}

// 201 when the photo is new, 200 when it was kept already (a resend after a lost answer).
Response Upload(Call& c) {
  c.Require(Capability::kUploadPhotos);
  const std::string& hash = PhotoHash(c);
  const std::string& content = c.request.body();
  const auto type = core::SniffImage(content);
  if (!type) {
    RefusePhoto(c, bhttp::status::unsupported_media_type,
                "only JPEG and PNG photos are kept, told by their content; this is neither");
  }
  if (const std::string actual = crypto::Sha256Hex(content); actual != hash) {
    RefusePhoto(c, bhttp::status::unprocessable_entity,
                "the photo's SHA-256 is " + actual + ", not the " + hash + " it was sent as");
  }
  store::PhotoStore photos(c.db);
  const bool added = photos.Save(hash, *type, content, c.principal.name, Now());
  return Reply(added ? bhttp::status::created : bhttp::status::ok,
               codec::EncodePhotoInfo(*photos.Find(hash)));
}

// An owner sees the photos of its own inspections; the other roles see every photo.
Response Download(Call& c) {
  c.Require(Capability::kReadSites);
  const std::string& hash = PhotoHash(c);
  const bool visible =
      c.Owner().empty() || store::PhotoOfVisibleInspection(c.db, hash, c.Owner());
  auto photo = visible ? store::PhotoStore(c.db).Content(hash) : std::nullopt;
  if (!photo) Fail(bhttp::status::not_found, "no photo " + hash);
  Response res = Reply(bhttp::status::ok, std::move(photo->first), photo->second.c_str());
  res.set(bhttp::field::cache_control, "private, max-age=31536000, immutable");
  res.set("X-Content-Type-Options", "nosniff");
  return res;
}

}  // namespace

std::vector<Route> PhotoRoutes() {
  return {{bhttp::verb::put, "/photos/{sha256}", Upload},
          {bhttp::verb::get, "/photos/{sha256}", Download}};
}

}  // namespace fieldproof::http
