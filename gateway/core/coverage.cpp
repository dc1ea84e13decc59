#include "gateway/core/coverage.hpp"

#include <algorithm>

#include "gateway/core/local_time.hpp"

namespace fieldproof::core {
namespace {


}  // namespace

std::string_view ToString(ComplianceState state) {
  switch (state) {
    case ComplianceState::kCompliant:
      return "compliant";
    case ComplianceState::kDueSoon:
      return "due_soon";
    case ComplianceState::kOverdue:
      return "overdue";
    case ComplianceState::kNeverInspected:
      return "never_inspected";
  }
  return "never_inspected";
}

AssetCompliance ComplianceAt(const ScheduledAsset& asset, UnixMillis as_of,
                             std::int64_t due_soon_days) {
  AssetCompliance c;
  const auto after = std::upper_bound(asset.verified_at.begin(), asset.verified_at.end(), as_of);
  if (after == asset.verified_at.begin()) return c;
  c.last_verified = *std::prev(after);
  c.due_at = *c.last_verified + asset.interval_days * kDay;
  if (as_of >= *c.due_at) {
    c.state = ComplianceState::kOverdue;
    c.days_overdue = (as_of - *c.due_at) / kDay;
  } else if (as_of >= *c.due_at - due_soon_days * kDay) {
    c.state = ComplianceState::kDueSoon;
  } else {
    c.state = ComplianceState::kCompliant;
  }
  return c;
}

double CoverageCounts::PercentCovered() const {
  return assets == 0
             ? 0.0
             : 100.0 * static_cast<double>(compliant + due_soon) / static_cast<double>(assets);
}

void CoverageCounts::Add(ComplianceState state) {
  ++assets;
  switch (state) {
    case ComplianceState::kCompliant:
      ++compliant;
      break;
    case ComplianceState::kDueSoon:
      ++due_soon;
      break;
    case ComplianceState::kOverdue:
      ++overdue;
      break;
    case ComplianceState::kNeverInspected:
      ++never_inspected;
      break;
  }
}

CoverageReport BuildCoverageReport(const CoverageInputs& in) {
  CoverageReport r;
  r.site = in.site;
  r.as_of = in.as_of;
  r.due_soon_days = in.due_soon_days;
  r.activity_days = in.activity_days;
  r.open_reviews = in.open_reviews;
  for (const ScheduledAsset& a : in.assets) {
    const AssetCompliance c = ComplianceAt(a, in.as_of, in.due_soon_days);
    r.total.Add(c.state);
    r.by_building[a.building].Add(c.state);
    r.by_floor[{a.building, a.floor}].Add(c.state);
    r.by_type[a.asset_type].Add(c.state);
    if (c.state == ComplianceState::kOverdue || c.state == ComplianceState::kNeverInspected) {
      r.overdue.push_back({a.asset_id, a.building, a.location, a.asset_type, a.floor,
                           c.last_verified, c.due_at, c.days_overdue});
    }
  }
  // Most overdue first; the never inspected after them, in registry order.
  std::stable_sort(r.overdue.begin(), r.overdue.end(),
                   [](const OverdueAsset& x, const OverdueAsset& y) {
                     if (x.due_at.has_value() != y.due_at.has_value()) return x.due_at.has_value();
                     return x.days_overdue > y.days_overdue;
                   });

  // The trend: coverage at the end of each of the last months, and at as_of.
  Period month = PeriodOf(in.as_of, {});
  std::vector<std::pair<std::string, UnixMillis>> points = {{ToString(month), in.as_of}};
  for (int i = 1; i < in.trend_months; ++i) {
    const Period end_of = month;
    month = PreviousPeriod(month);
    points.emplace_back(ToString(month), PeriodStart(end_of, {}) - 1);
  }
  std::reverse(points.begin(), points.end());
  for (const auto& [label, at] : points) {
    TrendPoint p{label, {}};
    for (const ScheduledAsset& a : in.assets)
      p.counts.Add(ComplianceAt(a, at, in.due_soon_days).state);
    r.trend.push_back(std::move(p));
  }

  for (const InspectionOutcome& o : in.recent) {
    for (ActivityCounts* counts : {&r.activity, &r.by_technician[o.technician_id]}) {
      if (o.verdict == "verified") ++counts->verified;
      if (o.verdict == "verified_with_defects") ++counts->verified_with_defects;
      if (o.verdict == "needs_review") ++counts->needs_review;
      if (o.verdict == "rejected") ++counts->rejected;
    }
  }
  return r;
}

}  // namespace fieldproof::core
