#pragma once
// A supervisor or facility owner resolves an inspection that needs review. The decision
// and its reason become a chained maintenance record of kind "review"; a decision of
// "verified" also sets the asset's next due date and opens work orders for its defects.
#include <cstdint>
#include <string>

#include "gateway/core/maintenance_record.hpp"
#include "gateway/core/rejection.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::verify {

struct ReviewDecision {
  std::int64_t inspection_id = 0;
  bool verified = false;  // Else rejected.
  std::string reason;
  std::string reviewer;
};

// One transaction. Refuses an inspection that does not exist (not found), does not need
// review or was reviewed already (conflict); an empty reason or reviewer (invalid).
core::Decision<core::MaintenanceRecord> ResolveReview(store::Database& db,
                                                    const ReviewDecision& decision,
                                                    core::UnixMillis now);

}  // namespace fieldproof::verify
