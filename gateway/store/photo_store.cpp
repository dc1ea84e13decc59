#include "gateway/store/photo_store.hpp"

namespace fieldproof::store {

bool PhotoStore::Save(const std::string& sha256, core::ImageType type, const std::string& content,
                      const std::string& device_id, core::UnixMillis now) {
  bool added = false;
  InTransaction(db_, [&] {
    db_.Prepare(
           "INSERT INTO photos (sha256, media_type, size, content, device_id, uploaded_at) "
           "VALUES (?,?,?,?,?,?) ON CONFLICT (sha256) DO NOTHING")
        .Bind(1, sha256)
        .Bind(2, core::MediaType(type))
        .Bind(3, static_cast<std::int64_t>(content.size()))
        .BindBlob(4, content)
        .Bind(5, device_id)
        .Bind(6, now)
        .Run();
    added = db_.Changes() > 0;
  });
  return added;
}

std::optional<core::PhotoInfo> PhotoStore::Find(const std::string& sha256) {
  auto s = db_.Prepare(
      "SELECT sha256, media_type, size, device_id, uploaded_at FROM photos WHERE sha256 = ?");
  s.Bind(1, sha256);
  if (!s.Step()) return std::nullopt;
  core::PhotoInfo info{s.Text("sha256"), s.Text("media_type"), s.Int("size"), s.Text("device_id"),
                 s.Int("uploaded_at")};
  s.Reset();
  return info;
}

std::optional<std::pair<std::string, std::string>> PhotoStore::Content(const std::string& sha256) {
  auto s = db_.Prepare("SELECT content, media_type FROM photos WHERE sha256 = ?");
  s.Bind(1, sha256);
  if (!s.Step()) return std::nullopt;
  auto photo = std::pair(s.Text("content"), s.Text("media_type"));
  s.Reset();
  return photo;
}

}  // namespace fieldproof::store
