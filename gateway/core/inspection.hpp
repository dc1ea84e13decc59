#pragma once
// Did this inspection happen? The pure decision: every fact arrives as data (tag crypto
// results, registry records, telemetry, the technician's previous visit), and the answer
// is a verdict with one recorded check per rule — the evidence a facility owner sees.
//
//   rejected            a hard rule failed: forged or replayed tag, unqualified or
//                       unassigned technician, unregistered handheld, legacy tag not allowed
//   needs review        nothing proves fraud, but something a person must look at: dwell
//                       too short, no functional test in the telemetry, an implausible walk
//                       or drive, the technician busy elsewhere at the time, a tap whose
//                       times do not fit its delivery, an incomplete checklist
//   verified (with defects)  every rule passed; defects open follow-up work
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/freshness.hpp"
#include "gateway/core/messages.hpp"
#include "gateway/core/tap_timing.hpp"

namespace fieldproof::core {

enum class Verdict { kVerified, kVerifiedWithDefects, kNeedsReview, kRejected };
enum class CheckStatus { kPass, kReview, kFail, kNotApplicable };
enum class EvidenceStrength { kStrong, kWeak };  // SUN message vs. plain legacy UID.

std::string_view ToString(Verdict v);
std::string_view ToString(CheckStatus v);
std::string_view ToString(EvidenceStrength v);
std::optional<Verdict> ParseVerdict(std::string_view s);
std::optional<CheckStatus> ParseCheckStatus(std::string_view s);
std::optional<EvidenceStrength> ParseEvidenceStrength(std::string_view s);

struct Check {
  std::string name;  // Stable id, e.g. "tag_authentic", "dwell".
  CheckStatus status;
  std::string detail;
};

// One tap after the adapters have run the tag crypto and the freshness lookup.
struct TapEvidence {
  std::string msg_id;
  UnixMillis read_at = 0;  // Clock-corrected.
  bool legacy_uid = false;   // A plain-UID tag: no cryptographic proof of presence.
  bool authentic = false;    // SUN MAC verified (always false for legacy tags).
  std::string tag_detail;    // Why not authentic, or what was read.
  std::string uid;
  FreshnessCheck freshness{Freshness::kFresh, ""};
  TimingFinding timing{Timing::kPlausible, ""};
};

// A tap as the verifier judged it: kept as its evidence, read again to pair it.
struct AssessedTap {
  std::int64_t tap_id = 0;
  TapEvidence evidence;
  std::optional<std::uint32_t> counter;  // Authentic SUN reads only.
  std::optional<std::string> asset_id;
  UnixMillis clock_offset = 0;  // Applied to its device times.
};

// What a technician reads for a checklist item, in English and (where given) German.
struct ChecklistWording {
  std::string en;
  std::string de;
};

struct AssetTypePolicy {
  std::string asset_type;
  UnixMillis min_dwell = 0;
  std::vector<std::string> checklist;  // Items every end tap must answer.
  std::int64_t min_closing_ms = 0;     // Plausible closing time in the functional test.
  std::int64_t max_closing_ms = 0;
  std::vector<ChecklistWording> checklist_wording;  // Same order as `checklist`.
};

// The least time between two assets, so that only the impossible is flagged: a brisk walk
// inside a building; between buildings the faster of walking and driving (technicians
// drive across an apron), or a measured time from the site's table.
struct TravelPolicy {
  double walking_speed_mps = 2.0;
  UnixMillis per_floor = 15 * kSecond;
  UnixMillis building_change = kMinute;   // Out of one building and into another.
  double vehicle_speed_mps = 12.5;        // 45 km/h, above an apron's limit.
  UnixMillis vehicle_overhead = kMinute;  // To the vehicle, parking, back on foot.
  struct Leg {
    std::string from;  // Building; a leg holds in both directions.
    std::string to;
    UnixMillis least = 0;  // Replaces the walking and driving estimate.
  };
  std::vector<Leg> legs;
};

struct SitePolicy {
  bool allow_legacy_tags = false;
  TravelPolicy travel;
};

// Every limit of verification an operator can set (docs/verification.md,
// ops/verification-policy.json); the defaults are the documented ones.
struct VerificationPolicy {
  UnixMillis rollback_tolerance = 2 * kMinute;  // Residual clock error between two handhelds.
  TimingPolicy timing;
  UnixMillis end_waits_for_start = 15 * kMinute;  // An end tap that arrived before its start.
  UnixMillis max_session = 12 * kHour;            // No inspection lasts longer than a shift.
  TravelPolicy travel;                           // Every site's, unless it has its own.
  std::map<std::string, TravelPolicy> site_travel;
  const TravelPolicy& TravelAt(const std::string& site) const {
    const auto it = site_travel.find(site);
    return it == site_travel.end() ? travel : it->second;
  }
};

struct TimedReading {
  UnixMillis at;  // Sensor clock, corrected.
  Reading reading;
};

// The technician's neighbouring work, whichever handheld recorded it.
struct OtherVisit {
  std::int64_t inspection_id = 0;
  Asset asset;
  std::string device_id;
  UnixMillis started_at = 0;
  UnixMillis ended_at = 0;
};

struct InspectionFacts {
  std::string site;
  std::string device_id;
  std::string technician_id;
  Asset asset;  // Resolved from the start tap's tag.
  TapEvidence start;
  TapEvidence end;
  std::string end_tag_uid;  // The end tap must read the same tag.
  std::map<std::string, ChecklistAnswer> checklist;
  std::optional<InspectionResult> result;
  std::vector<Defect> defects;
  std::optional<Technician> technician;          // Registry record, if any (its sites are checked).
  std::optional<std::string> device_company;     // Company the handheld is registered to.
  std::vector<TimedReading> telemetry;           // The asset's readings around the session, any order.
  std::optional<OtherVisit> previous;    // The technician's inspection that ended last before this start.
  std::optional<OtherVisit> next;        // ...and the one that started first after this end.
  std::optional<OtherVisit> overlapping;  // One of the technician's inspections during this one.
  std::vector<std::string> photos;          // The end tap's photos (SHA-256)...
  std::vector<std::string> photos_missing;  // ...and those the gateway never received.
};

struct Assessment {
  Verdict verdict;
  EvidenceStrength strength;
  std::vector<Check> checks;
};

Assessment AssessInspection(const InspectionFacts& facts, const AssetTypePolicy& type_policy,
                            const SitePolicy& site_policy);

// What the handheld is told when its end tap closes (or fails to close) an inspection.
struct VerdictNotice {
  std::optional<std::int64_t> inspection_id;  // None when no inspection could be formed.
  std::string end_msg_id;
  std::optional<std::string> asset_id;
  Assessment assessment;
  UnixMillis assessed_at = 0;
  std::vector<std::string> work_orders_opened;  // "WO-<n>", one per defect.
  std::string work_order_completed;             // The work order this visit completed.
};

// When neither tap's tag identifies a registered asset there is nothing to assess
// against: the inspection is rejected with that single check.
Assessment UnidentifiedAsset(std::string detail);

// Least time to get from one asset to another under the site's travel policy.
UnixMillis MinimumTravelTime(const Asset& from, const Asset& to, const TravelPolicy& policy);

}  // namespace fieldproof::core
