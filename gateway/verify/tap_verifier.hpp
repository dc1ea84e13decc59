#pragma once
// Works through the taps the ingest path stored and has not assessed yet, oldest first:
// verifies each tag (SUN crypto, keys derived from the site master key), applies the
// freshness rule against the tag's earlier reads, corrects read times for the handheld's
// clock and judges them, pairs an end tap with its start tap by what the tag and the
// handheld say (same tag, earlier read, lower counter; not by arrival) and records the
// inspection's verdict with one row per check. An end tap whose start has not arrived
// waits for it, for `end_waits_for_start`; a late start closes it. Driven by the
// database, so a restart resumes where it stopped. Not thread-safe: one verifier per
// connection.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/inspection.hpp"
#include "gateway/crypto/bytes.hpp"
#include "gateway/store/record_chain.hpp"
#include "gateway/store/registry_store.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "gateway/store/tag_store.hpp"
#include "gateway/store/verification_store.hpp"

namespace fieldproof::verify {

struct VerifierConfig {
  crypto::Key128 master_key{};
  bool allow_legacy_tags = false;
  std::vector<core::AssetTypePolicy> asset_types;
  // Off only for simulations whose clocks run faster than real time; then only a tap's
  // own order of times is judged, not its times against the gateway's clock.
  bool correct_device_clocks = true;
  core::VerificationPolicy policy;
};

struct OutgoingVerdict {
  std::string topic;    // <tap topic>/verdict
  std::string payload;  // JSON: schemas/verdict-notice.json
  core::Verdict verdict;
};

struct AssessReport {
  std::size_t taps = 0;
  std::vector<OutgoingVerdict> notices;
};

class TapVerifier {
 public:
  TapVerifier(store::Database& db, VerifierConfig config);

  // Assesses up to `max_taps` taps in one transaction, and closes the end taps that
  // waited for their start longer than the policy allows. Throws store::StoreError.
  AssessReport AssessPending(std::size_t max_taps, core::UnixMillis now);

 private:
  using PendingTap = store::StoredTap;
  using AssessedTap = core::AssessedTap;
  struct DeviceClock {
    std::optional<core::ClockEstimate> estimate;  // None without clock correction.
    std::vector<core::ClockSample> samples;       // Arrival order.
  };

  AssessedTap Examine(const PendingTap& tap);
  void ExamineTag(const core::Tap& tap, AssessedTap& x);
  void CheckUrlNamesItsAsset(const core::Tap& tap, const core::Asset& asset, core::TapEvidence& ev);
  // `again`: the read's own row is already kept and is not a neighbour.
  core::FreshnessCheck CheckFreshness(const std::string& site, const std::string& uid,
                                      std::uint32_t counter, core::UnixMillis read_at, bool again = false);
  void KeepRead(const std::string& site, const AssessedTap& x, core::UnixMillis received_at);
  std::optional<OutgoingVerdict> OnEndTap(const PendingTap& end, const AssessedTap& x, core::UnixMillis now);
  std::optional<OutgoingVerdict> OnStartTap(const PendingTap& start, const AssessedTap& x,
                                            core::UnixMillis now);
  bool OnlyOthersReadBetween(const PendingTap& start, const AssessedTap& x, std::int64_t end_counter);
  void ExpireWaitingEnds(core::UnixMillis now, AssessReport& report);

  // Pairing. The open start tap of the end's handheld and tag read last before it, or with
  // `any_tag` the handheld's latest open start before it; within `max_session` of it.
  std::optional<AssessedTap> OpenStartFor(const core::Tap& end, const AssessedTap& x, bool any_tag);

  AssessedTap WithClockAsOf(AssessedTap start, const AssessedTap& end);
  OutgoingVerdict CloseSession(const PendingTap& end, const AssessedTap& end_x,
                               const AssessedTap& start_as_found, core::UnixMillis now);
  OutgoingVerdict RejectOrphan(const PendingTap& end, const AssessedTap& end_x,
                               core::UnixMillis now);
  core::InspectionFacts GatherFacts(const PendingTap& end, const AssessedTap& end_x,
                                    const AssessedTap& start, const core::Asset& asset);
  void GatherTechnicianWork(core::InspectionFacts& f);
  std::int64_t StoreInspection(const PendingTap& end, const AssessedTap& end_x, const AssessedTap& start,
                               const std::optional<core::Asset>& asset,
                               const core::Assessment& assessment, core::UnixMillis now);

  DeviceClock HandheldClock(const std::string& site, const std::string& device_id, std::int64_t up_to_tap);
  core::UnixMillis SensorClockOffset(const std::string& site, const std::string& asset_id);
  const crypto::Key128& MetaKey(const std::string& site);
  core::AssetTypePolicy PolicyFor(const std::string& asset_type) const;
  // The maintenance record (chained), a work order per defect, and the completion of the
  // work order the end tap names; the work orders go on the technician's `notice`.
  void RecordVerifiedWork(std::int64_t inspection_id, const core::Tap& end, const core::Asset& asset,
                          core::UnixMillis started_at, core::UnixMillis ended_at,
                          const core::Assessment& assessment, core::UnixMillis now,
                          core::VerdictNotice& notice);

  store::Database& db_;
  VerifierConfig config_;
  std::vector<std::pair<std::string, crypto::Key128>> meta_keys_;  // Per site, derived once.
  store::RecordChain chain_;
  store::RegistryStore registry_;
  store::TagStore tags_;
  store::VerificationStore store_;
  std::optional<core::UnixMillis> first_round_;  // When this verifier first looked for expired ends.
};

}  // namespace fieldproof::verify
