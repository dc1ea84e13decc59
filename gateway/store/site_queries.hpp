#pragma once
// What people may look at on a site, read for the API: which sites and assets a principal
// sees, the asset list, the maintenance records. `owner` is an owner's customer id, or ""
// for the roles that see every customer; visibility follows the asset's owner, never the
// site alone, because owners share sites (an airport operator and its tenants).
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/maintenance_record.hpp"
#include "gateway/core/views.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

// A site is visible when it has assets, for an owner assets of the owner's.
bool SiteVisible(Database& db, const std::string& site, const std::string& owner);
// An inspection or record is visible with its asset; one without a registered asset (an
// unknown tag, `asset_id` empty) only to the roles that see every customer.
bool AssetVisible(Database& db, const std::string& site, const std::string& asset_id,
                  const std::string& owner);
// Every visible site with the number of assets `owner` sees there, by name.
std::vector<core::SiteSummary> VisibleSites(Database& db, const std::string& owner);

struct AssetFilter {
  std::string site;
  std::string building;        // "" = every building.
  std::optional<int> floor;    // None = every floor.
  std::string owner;
  std::string search;          // "" = all; else an asset id's start, part of a location, or a tag UID.
};
// By building, floor and id, each with its last verified inspection.
core::Page<core::AssetSummary> ListAssets(Database& db, const AssetFilter& filter,
                                          core::PageRequest page);

// Every asset of the site as its handhelds show it (kept on the device for offline use), by id.
std::vector<core::HandheldAsset> SiteSnapshot(Database& db, const std::string& site);

struct RecordFilter {
  std::string site;
  std::string asset_id;  // "" = every asset.
  std::string owner;
};
// Newest first.
core::Page<core::MaintenanceRecord> ListRecords(Database& db, const RecordFilter& filter,
                                                core::PageRequest page);

}  // namespace fieldproof::store
