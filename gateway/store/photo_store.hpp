#pragma once
// Photos of inspections, content-addressed: a photo is stored under its SHA-256, once,
// whoever uploads it again. The caller checks the hash and the type; the store keeps them.
#include <cstdint>
#include <optional>
#include <string>

#include "gateway/core/image.hpp"
#include "gateway/core/timestamp.hpp"
#include "gateway/core/views.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

class PhotoStore {
 public:
  explicit PhotoStore(Database& db) : db_(db) {}

  // Keeps the photo unless one with this hash is kept already; true when it was new.
  bool Save(const std::string& sha256, core::ImageType type, const std::string& content,
            const std::string& device_id, core::UnixMillis now);
  std::optional<core::PhotoInfo> Find(const std::string& sha256);
  // The photo's bytes and media type.
  std::optional<std::pair<std::string, std::string>> Content(const std::string& sha256);

 private:
  Database& db_;
};

}  // namespace fieldproof::store
