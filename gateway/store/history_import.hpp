#pragma once
// Inspections from before fieldproof (core::PastInspection) enter the site's record chain as
// records of kind "imported", so that the schedule knows when each asset was last inspected.
#include <span>
#include <string>

#include "gateway/codec/registry_csv.hpp"
#include "gateway/core/maintenance_record.hpp"
#include "gateway/store/registry_store.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

// One transaction, oldest first. A row for an unknown asset, or dated in the future, is
// refused with its line; one imported before (same asset and time) is unchanged.
ImportReport ImportHistory(Database& db, const std::string& site,
                           std::span<const codec::RegistryFile<core::PastInspection>::Row> rows,
                           const std::string& evidence_json, const core::HashFn& hash, core::UnixMillis now);

}  // namespace fieldproof::store
