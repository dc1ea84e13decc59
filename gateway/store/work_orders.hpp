#pragma once
// Follow-up work: one open work order per defect an accepted inspection found. Its public
// id is "WO-<n>"; a later verified visit whose end tap names it completes it (a repair).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/timestamp.hpp"
#include "gateway/core/views.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

// `defects_json` is the inspection's defects array as stored ([{code, severity, note}]).
// Returns the public ids of the work orders opened.
std::vector<std::string> OpenWorkOrders(Database& db, const std::string& site,
                                        const std::string& asset_id, std::int64_t inspection_id,
                                        const std::string& defects_json, core::UnixMillis now);

// Marks the open work order `ref` of this asset done by `inspection_id`. False when `ref`
// names no open work order of this site and asset (it is then left alone).
bool CompleteWorkOrder(Database& db, const std::string& site, const std::string& asset_id,
                       const std::string& ref, std::int64_t inspection_id, core::UnixMillis now);

struct WorkOrderFilter {
  std::string site;
  std::string asset_id;  // "" = every asset.
  std::string status;    // "" = any; open | done.
  std::string owner;     // An owner's customer id; "" = every customer.
};
// Newest first.
// Open work orders at every site.
std::int64_t CountOpenWorkOrders(Database& db);

// A row with the columns id, asset_id, status, inspection_id, defect_code, severity, note,
// created_at, completed_by, completed_at.
core::WorkOrderRow ReadWorkOrder(const Statement& row);
core::Page<core::WorkOrderRow> ListWorkOrders(Database& db, const WorkOrderFilter& filter,
                                              core::PageRequest page);

std::string WorkOrderRef(std::int64_t id);
std::optional<std::int64_t> ParseWorkOrderRef(const std::string& ref);

}  // namespace fieldproof::store
