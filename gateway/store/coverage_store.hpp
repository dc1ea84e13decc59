#pragma once
// The facts a coverage report needs, read from SQLite: a site's assets with the times of
// their verified inspections (maintenance records, so reviews count), and the inspections
// of the recent window. The counting is core::BuildCoverageReport's.
#include <string>
#include <vector>

#include "gateway/core/coverage.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

struct CoverageQuery {
  std::string site;
  core::UnixMillis as_of = 0;
  std::int64_t due_soon_days = 30;
  int trend_months = 12;
  std::int64_t activity_days = 30;
  // An owner's customer: only its assets (and their inspections) count; empty for all.
  std::string owner_id;
};

core::CoverageInputs LoadCoverageInputs(Database& db, const CoverageQuery& query);

// Sites that have assets, in order.
std::vector<std::string> AssetSites(Database& db);

}  // namespace fieldproof::store
