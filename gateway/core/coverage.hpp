#pragma once
// Compliance schedule and coverage: is every asset inspected within its interval, as of a
// given day? An asset is due one interval after its last verified inspection (verified,
// verified with defects, or verified on review); before that it is compliant, in the last
// `due_soon_days` due soon, after it overdue, and without any verified inspection never
// inspected. Pure: the store hands in the facts, this code counts.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

enum class ComplianceState { kCompliant, kDueSoon, kOverdue, kNeverInspected };
std::string_view ToString(
    ComplianceState state);  // compliant | due_soon | overdue | never_inspected

// What the report needs to know about one asset.
struct ScheduledAsset {
  std::string asset_id;
  std::string building;
  int floor = 0;
  std::string location;
  std::string asset_type;
  std::int64_t interval_days = 0;
  std::vector<UnixMillis> verified_at;  // Verified inspections, ascending.
};

struct AssetCompliance {
  ComplianceState state = ComplianceState::kNeverInspected;
  std::optional<UnixMillis> last_verified;
  std::optional<UnixMillis> due_at;
  std::int64_t days_overdue = 0;  // Whole days past due (overdue only).
};

// The asset's state at `as_of`: only inspections up to `as_of` count.
AssetCompliance ComplianceAt(const ScheduledAsset& asset, UnixMillis as_of,
                             std::int64_t due_soon_days);

struct CoverageCounts {
  std::int64_t assets = 0, compliant = 0, due_soon = 0, overdue = 0, never_inspected = 0;
  // Compliant or due soon: inspected within the interval.
  double PercentCovered() const;
  void Add(ComplianceState state);
  bool operator==(const CoverageCounts&) const = default;
};

struct OverdueAsset {
  std::string asset_id, building, location, asset_type;
  int floor = 0;
  std::optional<UnixMillis> last_verified;  // None: never inspected.
  std::optional<UnixMillis> due_at;
  std::int64_t days_overdue = 0;
};

// Inspections of the window before `as_of`, by outcome, per technician and in total.
struct ActivityCounts {
  std::int64_t verified = 0, verified_with_defects = 0, needs_review = 0, rejected = 0;
  bool operator==(const ActivityCounts&) const = default;
};

struct TrendPoint {
  std::string month;  // YYYY-MM, counted at the month's last instant (or as_of for the last)
  CoverageCounts counts;
};

struct CoverageReport {
  std::string site;
  UnixMillis as_of = 0;
  std::int64_t due_soon_days = 0;
  CoverageCounts total;
  std::map<std::string, CoverageCounts> by_building;
  std::map<std::pair<std::string, int>, CoverageCounts> by_floor;
  std::map<std::string, CoverageCounts> by_type;
  std::vector<OverdueAsset> overdue;  // Most overdue first; never inspected last.
  std::vector<TrendPoint> trend;      // Oldest first, ending with as_of.
  std::int64_t activity_days = 0;
  ActivityCounts activity;
  std::map<std::string, ActivityCounts> by_technician;
  std::int64_t open_reviews = 0;  // Needs review and not yet decided, whenever it ended.
};

struct InspectionOutcome {
  std::string technician_id;
  std::string verdict;  // verified | verified_with_defects | needs_review | rejected
};

struct CoverageInputs {
  std::string site;
  UnixMillis as_of = 0;
  std::int64_t due_soon_days = 30;
  int trend_months = 12;
  std::int64_t activity_days = 30;
  std::vector<ScheduledAsset> assets;
  std::vector<InspectionOutcome> recent;  // Inspections of the activity window.
  std::int64_t open_reviews = 0;
};

CoverageReport BuildCoverageReport(const CoverageInputs& inputs);

}  // namespace fieldproof::core
