#pragma once
// Assets and technicians. Imports are upserts: importing the same file twice changes
// nothing. A technician assigned to several sites gets one row per site, so each
// site's data stays together for sharding.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gateway/codec/registry_csv.hpp"
#include "gateway/core/messages.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

struct ImportReport {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::vector<codec::CsvError> errors;  // Rows refused by the database rules.
};

class RegistryStore {
 public:
  explicit RegistryStore(Database& db) : db_(db), sql_(db) {}

  // One transaction for the whole file; rows that break a rule are reported, not imported.
  ImportReport ImportAssets(std::span<const codec::RegistryFile<core::Asset>::Row> rows,
                            core::UnixMillis now);
  ImportReport ImportTechnicians(std::span<const codec::RegistryFile<core::Technician>::Row> rows,
                                 core::UnixMillis now);

  ImportReport ImportDevices(std::span<const codec::RegistryFile<core::Device>::Row> rows,
                             core::UnixMillis now);

  std::vector<core::Asset> Assets(const std::string& site);
  std::optional<core::Asset> FindAsset(const std::string& site, const std::string& asset_id);
  std::optional<core::Asset> FindAssetByTag(const std::string& site, const std::string& tag_uid);
  // The technician as registered at `site` (sites then holds just that site).
  std::optional<core::Technician> FindTechnician(const std::string& site,
                                                 const std::string& technician_id);
  std::optional<std::string> FindDeviceCompany(const std::string& site, const std::string& device_id);
  std::int64_t AssetCount();
  std::int64_t TechnicianCount();
  std::int64_t DeviceCount();

 private:
  Database& db_;
  StatementCache sql_;  // For the lookups the verifier makes per tap.
};

}  // namespace fieldproof::store
