#include "gateway/core/inspection.hpp"

#include <algorithm>
#include <cmath>

namespace fieldproof::core {
namespace {

std::string Seconds(UnixMillis ms) { return std::to_string(ms / 1000) + " s"; }

Check TagCheck(const char* name, const TapEvidence& tap, const SitePolicy& policy) {
  if (tap.legacy_uid) {
    return policy.allow_legacy_tags
               ? Check{name, CheckStatus::kPass, "legacy UID tag " + tap.uid + " (weak evidence)"}
               : Check{name, CheckStatus::kFail,
                       "legacy UID tag " + tap.uid + ": this site accepts only SUN tags"};
  }
  if (!tap.authentic) return {name, CheckStatus::kFail, tap.tag_detail};
  return {name, CheckStatus::kPass, "SUN message verified, UID " + tap.uid};
}

Check FreshnessOf(const char* name, const TapEvidence& tap) {
  switch (tap.freshness.outcome) {
    case Freshness::kFresh:
      return {name, CheckStatus::kPass, tap.freshness.detail};
    case Freshness::kReplay:
      return {name, CheckStatus::kFail, "replayed: " + tap.freshness.detail};
    case Freshness::kRollback:
      return {name, CheckStatus::kFail, "counter rolled back: " + tap.freshness.detail};
  }
  return {name, CheckStatus::kFail, "unknown freshness"};
}

Check Authorisation(const InspectionFacts& f) {
  if (!f.technician) {
    return {"technician_authorised", CheckStatus::kFail,
            "technician " + f.technician_id + " is not registered at site " + f.site};
  }
  const auto& sites = f.technician->sites;
  if (std::find(sites.begin(), sites.end(), f.site) == sites.end()) {
    return {"technician_authorised", CheckStatus::kFail,
            "technician " + f.technician_id + " is not assigned to site " + f.site};
  }
  const auto& q = f.technician->qualifications;
  if (std::find(q.begin(), q.end(), f.asset.asset_type) == q.end()) {
    return {"technician_authorised", CheckStatus::kFail,
            "technician " + f.technician_id + " is not qualified for " + f.asset.asset_type};
  }
  return {"technician_authorised", CheckStatus::kPass,
          "qualified for " + f.asset.asset_type + ", assigned to " + f.site};
}

Check DeviceRegistration(const InspectionFacts& f) {
  if (!f.device_company) {
    return {"device_registered", CheckStatus::kFail, "handheld " + f.device_id + " is not registered"};
  }
  if (f.technician && *f.device_company != f.technician->company) {
    return {"device_registered", CheckStatus::kFail,
            "handheld " + f.device_id + " belongs to " + *f.device_company + ", technician to " +
                f.technician->company};
  }
  return {"device_registered", CheckStatus::kPass, "registered to " + *f.device_company};
}

Check Dwell(const InspectionFacts& f, const AssetTypePolicy& p) {
  const UnixMillis dwell = f.end.read_at - f.start.read_at;
  const std::string detail = "stayed " + Seconds(dwell) + "; minimum " + Seconds(p.min_dwell);
  return {"dwell", dwell >= p.min_dwell ? CheckStatus::kPass : CheckStatus::kReview, detail};
}

Check Checklist(const InspectionFacts& f, const AssetTypePolicy& p) {
  std::string missing;
  for (const auto& item : p.checklist) {
    if (!f.checklist.contains(item)) missing += (missing.empty() ? "" : ", ") + item;
  }
  if (!missing.empty()) return {"checklist_complete", CheckStatus::kReview, "unanswered: " + missing};
  if (!f.result) return {"checklist_complete", CheckStatus::kReview, "no overall result"};
  const bool any_fail = std::any_of(f.checklist.begin(), f.checklist.end(), [](const auto& item) {
    return item.second == ChecklistAnswer::kFail;
  });
  if (any_fail != (f.result == InspectionResult::kFail)) {
    return {"checklist_complete", CheckStatus::kReview,
            "the overall result does not match the checklist answers"};
  }
  return {"checklist_complete", CheckStatus::kPass,
          std::to_string(p.checklist.size()) + " items answered"};
}

// The shutter's own sensor must have closed it (with a plausible closing time) during
// the session: evidence that the functional test was run, not just ticked.
Check FunctionalTest(const InspectionFacts& f, const AssetTypePolicy& p) {
  if (!f.asset.sensor_equipped) {
    return {"functional_test", CheckStatus::kNotApplicable, "asset has no sensor"};
  }
  // Sensor messages may arrive out of order; the cycle is judged in time order.
  std::vector<TimedReading> readings = f.telemetry;
  std::stable_sort(readings.begin(), readings.end(),
                   [](const TimedReading& a, const TimedReading& b) { return a.at < b.at; });
  bool closing_seen = false;
  for (const TimedReading& r : readings) {
    if (r.at < f.start.read_at || r.at > f.end.read_at) continue;
    if (const auto* state = std::get_if<StateReading>(&r.reading)) {
      if (state->state == ShutterState::kClosing) closing_seen = true;
    }
    if (const auto* closing = std::get_if<ClosingDurationReading>(&r.reading);
        closing && closing_seen) {
      if (closing->ms >= p.min_closing_ms && closing->ms <= p.max_closing_ms) {
        return {"functional_test", CheckStatus::kPass,
                "closed in " + std::to_string(closing->ms) + " ms at " + FormatRfc3339(r.at)};
      }
      return {"functional_test", CheckStatus::kReview,
              "closing time " + std::to_string(closing->ms) + " ms outside " +
                  std::to_string(p.min_closing_ms) + ".." + std::to_string(p.max_closing_ms)};
    }
  }
  return {"functional_test", CheckStatus::kReview,
          "no close cycle in the asset's telemetry during the session"};
}

Check TimingOf(const char* name, const TapEvidence& tap) {
  switch (tap.timing.outcome) {
    case Timing::kPlausible: return {name, CheckStatus::kPass, tap.timing.detail};
    case Timing::kSuspect: return {name, CheckStatus::kReview, tap.timing.detail};
    case Timing::kImpossible: return {name, CheckStatus::kFail, tap.timing.detail};
  }
  return {name, CheckStatus::kFail, "unknown timing"};
}

// Both legs: from the technician's previous inspection, and on to the next one (an
// inspection assessed late, from an outbox, may already have work after it).
Check Travel(const InspectionFacts& f, const TravelPolicy& policy) {
  if (!f.previous && !f.next) {
    return {"travel", CheckStatus::kNotApplicable, "no other inspection of the technician nearby"};
  }
  CheckStatus status = CheckStatus::kPass;
  std::string detail;
  auto leg = [&](const Asset& from, const Asset& to, UnixMillis took, const std::string& label) {
    const UnixMillis needed = MinimumTravelTime(from, to, policy);
    if (took < needed) status = CheckStatus::kReview;
    detail += (detail.empty() ? "" : " / ") + label + " in " + Seconds(took) + "; at least " +
              Seconds(needed) + " needed";
  };
  if (f.previous) {
    leg(f.previous->asset, f.asset, f.start.read_at - f.previous->ended_at,
        "from " + f.previous->asset.asset_id);
  }
  if (f.next) leg(f.asset, f.next->asset, f.next->started_at - f.end.read_at, "on to " + f.next->asset.asset_id);
  return {"travel", status, detail};
}

Check Overlap(const InspectionFacts& f) {
  if (!f.overlapping) {
    return {"technician_overlap", CheckStatus::kPass,
            "no other inspection by " + f.technician_id + " at the same time"};
  }
  const OtherVisit& o = *f.overlapping;
  return {"technician_overlap", CheckStatus::kReview,
          f.technician_id + " was also inspecting " + o.asset.asset_id + " on " + o.device_id +
              " from " + FormatRfc3339(o.started_at) + " to " + FormatRfc3339(o.ended_at) +
              " (inspection " + std::to_string(o.inspection_id) + ")"};
}

// Photos are evidence only when the gateway has them: the record names them by hash, so a
// photo that never arrived could be anything later.
Check Photos(const InspectionFacts& f) {
  if (f.photos.empty()) return {"photos", CheckStatus::kNotApplicable, "no photos taken"};
  if (!f.photos_missing.empty()) {
    std::string missing;
    for (const auto& hash : f.photos_missing) missing += (missing.empty() ? "" : ", ") + hash.substr(0, 12);
    return {"photos", CheckStatus::kReview,
            std::to_string(f.photos_missing.size()) + " of " + std::to_string(f.photos.size()) +
                " photos never uploaded (" + missing + "…)"};
  }
  return {"photos", CheckStatus::kPass, std::to_string(f.photos.size()) + " photos kept"};
}

}  // namespace

std::string_view ToString(Verdict v) {
  switch (v) {
    case Verdict::kVerified: return "verified";
    case Verdict::kVerifiedWithDefects: return "verified_with_defects";
    case Verdict::kNeedsReview: return "needs_review";
    case Verdict::kRejected: return "rejected";
  }
  return "?";
}

std::string_view ToString(CheckStatus v) {
  switch (v) {
    case CheckStatus::kPass: return "pass";
    case CheckStatus::kReview: return "review";
    case CheckStatus::kFail: return "fail";
    case CheckStatus::kNotApplicable: return "n/a";
  }
  return "?";
}

std::string_view ToString(EvidenceStrength v) {
  return v == EvidenceStrength::kStrong ? "strong" : "weak";
}

Assessment UnidentifiedAsset(std::string detail) {
  return {Verdict::kRejected, EvidenceStrength::kWeak,
          {Check{"asset_identified", CheckStatus::kFail, std::move(detail)}}};
}

namespace {
template <class E>
std::optional<E> ParseByName(std::string_view s, std::initializer_list<E> values) {
  for (E v : values) {
    if (ToString(v) == s) return v;
  }
  return std::nullopt;
}
}  // namespace

std::optional<Verdict> ParseVerdict(std::string_view s) {
  return ParseByName(s, {Verdict::kVerified, Verdict::kVerifiedWithDefects, Verdict::kNeedsReview,
                         Verdict::kRejected});
}
std::optional<CheckStatus> ParseCheckStatus(std::string_view s) {
  return ParseByName(s, {CheckStatus::kPass, CheckStatus::kReview, CheckStatus::kFail,
                         CheckStatus::kNotApplicable});
}
std::optional<EvidenceStrength> ParseEvidenceStrength(std::string_view s) {
  return ParseByName(s, {EvidenceStrength::kStrong, EvidenceStrength::kWeak});
}

UnixMillis MinimumTravelTime(const Asset& from, const Asset& to, const TravelPolicy& policy) {
  const double metres = std::hypot(from.x_m - to.x_m, from.y_m - to.y_m);
  const UnixMillis floors = policy.per_floor * std::abs(from.floor - to.floor);
  const auto at = [](double metres, double speed) {
    return static_cast<UnixMillis>(metres / speed * 1000.0);
  };
  const UnixMillis walking = at(metres, policy.walking_speed_mps);
  if (from.building == to.building) return walking + floors;
  for (const auto& leg : policy.legs) {
    if ((leg.from == from.building && leg.to == to.building) ||
        (leg.from == to.building && leg.to == from.building)) {
      return leg.least + floors;
    }
  }
  const UnixMillis driving = policy.vehicle_overhead + at(metres, policy.vehicle_speed_mps);
  return policy.building_change + std::min(walking, driving) + floors;
}

Assessment AssessInspection(const InspectionFacts& f, const AssetTypePolicy& type_policy,
                            const SitePolicy& site_policy) {
  std::vector<Check> checks = {
      TagCheck("start_tag_authentic", f.start, site_policy),
      TagCheck("end_tag_authentic", f.end, site_policy),
      FreshnessOf("start_tag_fresh", f.start),
      FreshnessOf("end_tag_fresh", f.end),
      TimingOf("start_tap_timing", f.start),
      TimingOf("end_tap_timing", f.end),
      {"same_tag", f.end_tag_uid == f.start.uid ? CheckStatus::kPass : CheckStatus::kFail,
       "start " + f.start.uid + ", end " + f.end_tag_uid},
      Authorisation(f),
      DeviceRegistration(f),
      Dwell(f, type_policy),
      Checklist(f, type_policy),
      FunctionalTest(f, type_policy),
      Travel(f, site_policy.travel),
      Overlap(f),
      Photos(f),
  };
  auto any = [&](CheckStatus status) {
    return std::any_of(checks.begin(), checks.end(), [&](const Check& c) { return c.status == status; });
  };
  Verdict verdict = Verdict::kVerified;
  if (any(CheckStatus::kFail)) {
    verdict = Verdict::kRejected;
  } else if (any(CheckStatus::kReview)) {
    verdict = Verdict::kNeedsReview;
  } else if (f.result == InspectionResult::kFail || !f.defects.empty()) {
    verdict = Verdict::kVerifiedWithDefects;
  }
  const bool weak = f.start.legacy_uid || f.end.legacy_uid;
  return {verdict, weak ? EvidenceStrength::kWeak : EvidenceStrength::kStrong, std::move(checks)};
}

}  // namespace fieldproof::core
