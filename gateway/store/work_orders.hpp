#pragma once
// Follow-up work: one open work order per defect an accepted inspection found.
#include <cstdint>
#include <string>

#include "gateway/core/timestamp.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

// `defects_json` is the inspection's defects array as stored ([{code, severity, note}]).
void OpenWorkOrders(Database& db, const std::string& site, const std::string& asset_id,
                    std::int64_t inspection_id, const std::string& defects_json,
                    core::UnixMillis now);

}  // namespace fieldproof::store
