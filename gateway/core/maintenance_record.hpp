#pragma once
// Maintenance records: the append-only, tamper-evident history of each site. Every record
// carries the hash of the one before it (per site), so changing, removing or slipping in a
// record breaks the chain at that point. The hash function is passed in (SHA-256 from
// gateway/crypto in production) to keep this code pure.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct MaintenanceRecord {
  std::string site;
  std::int64_t seq = 0;  // 1, 2, 3 ... per site.
  std::string kind;      // "inspection" (written by the verifier) or "review" (a person's decision).
  std::int64_t inspection_id = 0;
  std::string asset_id;
  std::string technician_id;
  UnixMillis started_at = 0;
  UnixMillis ended_at = 0;
  std::string verdict;        // The verdict this record attests.
  std::string checklist;      // JSON, as the handheld sent it.
  std::string defects;        // JSON.
  std::string evidence;       // JSON: the checks.
  std::optional<UnixMillis> next_due_at;  // Set when the record proves an inspection.
  std::string reviewer;       // Review records only.
  std::string reason;         // Review records only.
  std::string work_order_id;  // "WO-<n>" when the visit completed that follow-up work order.
  std::string photos;         // JSON: the SHA-256 of each photo of the visit; "" when none.
  UnixMillis recorded_at = 0;
  std::string prev_hash;
  std::string hash;
};

// An inspection proven at `inspected_at` is due again one interval later.
inline UnixMillis NextDueAt(UnixMillis inspected_at, std::int64_t interval_days) {
  return inspected_at + interval_days * 86'400'000;
}

// An inspection from before fieldproof, from the previous contractor's or the CAFM's records.
// Its record (kind kImportedKind) counts for the schedule; billing never bills it.
struct PastInspection {
  std::string asset_id;
  UnixMillis inspected_at = 0;
  std::string inspected_by;
  bool passed = true;  // Else: found defects (verified_with_defects).
};
inline constexpr std::string_view kImportedKind = "imported";

// The record of `past` at `site`, before the chain sets its seq and hashes.
MaintenanceRecord ImportedRecord(const PastInspection& past, const std::string& site, std::int64_t interval_days,
                                 std::string evidence_json, UnixMillis now);

using HashFn = std::function<std::string(std::string_view)>;

// The exact bytes the hash covers: every field but `hash`, in a fixed order, one per line,
// with newlines and backslashes escaped.
std::string CanonicalRecordText(const MaintenanceRecord& record);
std::string RecordHash(const MaintenanceRecord& record, const HashFn& hash);

struct ChainProblem {
  std::int64_t seq;
  std::string what;
};

// `records` of one site in seq order. Empty result: the chain is intact.
std::vector<ChainProblem> VerifyChain(std::span<const MaintenanceRecord> records, const HashFn& hash);

}  // namespace fieldproof::core
