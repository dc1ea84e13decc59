#pragma once
// What the asset page shows (GET /api/v1/assets/{asset_id}, docs/api.md): the asset, its
// schedule, its latest inspections and maintenance records, its work orders and tags, and
// its sensor's readings over a window, as far as `owner` sees it.
#include <optional>
#include <string>

#include "gateway/core/views.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

struct AssetPageRequest {
  std::string site;
  std::string asset_id;
  std::string owner;  // An owner's customer id; "" = every customer.
  core::UnixMillis as_of = 0;  // For the schedule's state.
  core::UnixMillis telemetry_from = 0;
  core::UnixMillis telemetry_to = 0;
  std::int64_t due_soon_days = 30;
  std::int64_t history_limit = 50;  // Inspections and records each, newest first.
};

// nullopt when there is no such asset or the owner may not see it.
std::optional<core::AssetPage> LoadAssetPage(Database& db, const AssetPageRequest& request);

}  // namespace fieldproof::store
