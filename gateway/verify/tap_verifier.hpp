#pragma once
// Works through the taps the ingest path stored and has not assessed yet, oldest first:
// verifies each tag (SUN crypto, keys derived from the site master key), applies the
// freshness rule against the tag's earlier reads, corrects read times for the handheld's
// clock, pairs an end tap with its device's open start tap and records the inspection's
// verdict with one row per check. Driven by the database, so a restart resumes where
// it stopped. Not thread-safe: one verifier per connection.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/inspection.hpp"
#include "gateway/crypto/bytes.hpp"
#include "gateway/store/record_chain.hpp"
#include "gateway/store/registry_store.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::verify {

struct VerifierConfig {
  crypto::Key128 master_key{};
  core::SitePolicy site_policy;
  std::vector<core::AssetTypePolicy> asset_types;
  // Off only for simulations whose clocks run faster than real time.
  bool correct_device_clocks = true;
  core::UnixMillis freshness_tolerance = 120'000;
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

  // Assesses up to `max_taps` taps in one transaction. Throws store::StoreError.
  AssessReport AssessPending(std::size_t max_taps, core::UnixMillis now);

 private:
  struct PendingTap;
  // What one tap shows on its own: the tag's authenticity and freshness, the asset.
  struct Examination {
    core::TapEvidence evidence;
    std::optional<std::uint32_t> counter;  // Authentic SUN reads only.
    std::optional<core::Asset> asset;
    core::UnixMillis clock_offset = 0;
  };
  Examination Examine(const PendingTap& tap);
  std::optional<OutgoingVerdict> CloseSession(const PendingTap& end, const core::TapEvidence& end_ev,
                                            const std::optional<core::Asset>& end_asset,
                                            core::UnixMillis now);
  core::UnixMillis DeviceClockOffset(const std::string& site, const std::string& device_id,
                                     std::int64_t up_to_tap);
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
  store::StatementCache sql_;
};

}  // namespace fieldproof::verify
