#pragma once
// Inspections as people look at them: lists with the verdict after review, one inspection
// with its evidence, the review queue, and the counts the CLI reports.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/core/views.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

struct InspectionFilter {
  std::string site;
  core::UnixMillis ended_from = 0;        // Ended at or after.
  core::UnixMillis ended_before = INT64_MAX;
  std::string verdict;                    // "" = any (after review).
  std::string asset_id;                   // "" = any.
  std::string owner;                      // An owner's customer id, "" = every customer.
};
// Newest first.
core::Page<core::InspectionSummary> ListInspections(Database& db, const InspectionFilter& filter,
                                                    core::PageRequest page);

// With its checks, both taps' evidence and the maintenance records that attest it.
std::optional<core::InspectionDetail> FindInspection(Database& db, std::int64_t id);
// Inspections after `after` (by id) that ended needing review, with their asset's owner.
std::vector<std::pair<std::string, core::InspectionSummary>> NeedingReviewAfter(Database& db, std::int64_t after,
                                                                                std::int64_t limit);

// Whether an inspection `owner` sees ("" = every customer) names the photo.
bool PhotoOfVisibleInspection(Database& db, const std::string& sha256, const std::string& owner);

// Inspections that need a person's decision and have none yet, oldest first, at most `limit`.
std::vector<core::InspectionSummary> ListAwaitingReview(Database& db, const std::string& site,
                                                        std::int64_t limit);

// Verdicts as the verifier gave them, with how many inspections have each.
std::vector<std::pair<std::string, std::int64_t>> CountInspectionsByVerdict(Database& db);
// Inspections needing review that no one has decided yet, at every site.
std::int64_t CountOpenReviews(Database& db);

// Verified inspections of `site` that no maintenance record attests (one was removed).
std::vector<std::int64_t> UnrecordedVerifiedInspections(Database& db, const std::string& site);

}  // namespace fieldproof::store
