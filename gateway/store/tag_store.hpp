#pragma once
// Tag commissioning (core/tag_commissioning.hpp): each asset's tags over time, and the UIDs
// suppliers delivered.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gateway/codec/registry_csv.hpp"
#include "gateway/core/tag_commissioning.hpp"
#include "gateway/store/registry_store.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

class TagStore {
 public:
  explicit TagStore(Database& db) : db_(db) {}

  // What RefuseTagInstall needs to know about installing `uid` on the asset.
  core::TagInstall InstallFacts(const std::string& site, const std::string& asset_id,
                                const std::string& uid);
  // Retires the asset's current tag (if any) for `reason`, and installs `uid` in its place.
  void Install(const std::string& site, const core::TagTenure& tenure, const std::string& reason);
  // The asset's tags, the first installed first.
  std::vector<core::TagTenure> History(const std::string& site, const std::string& asset_id);
  std::optional<core::TagTenure> Retired(const std::string& site, const std::string& uid);
  // Adds a supplier's UIDs under `batch`; a UID listed before stays in its first batch.
  ImportReport ImportSupplied(std::span<const codec::RegistryFile<std::string>::Row> rows,
                              const std::string& batch, const std::string& by,
                              core::UnixMillis now);

 private:
  Database& db_;
};

}  // namespace fieldproof::store
