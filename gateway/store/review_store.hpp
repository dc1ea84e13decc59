#pragma once
// What a person's review of an inspection reads and writes: the inspection with its checks,
// and the decision (table reviews). In the caller's transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/inspection.hpp"
#include "gateway/core/maintenance_record.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

struct ReviewSubject {
  // Site, asset, technician, times, checklist and defects of the inspection.
  core::MaintenanceRecord inspection;
  std::string verdict;  // The verifier's.
  bool reviewed = false;
  std::int64_t interval_days = 0;  // Of its asset; 0 for an unknown tag.
  std::vector<core::Check> checks;
};

std::optional<ReviewSubject> FindReviewSubject(Database& db, std::int64_t inspection_id);

struct ReviewRow {
  std::int64_t inspection_id = 0;
  std::string site;
  std::string decision;  // verified | rejected
  std::string reason;
  std::string reviewer;
  core::UnixMillis reviewed_at = 0;
};
void SaveReview(Database& db, const ReviewRow& review);

}  // namespace fieldproof::store
