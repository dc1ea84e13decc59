#pragma once
// What the tap verifier reads and writes: stored taps not yet assessed, each tap's evidence,
// the freshness rule's memory of tag reads, end taps waiting for their start, the facts an
// inspection is judged on (handheld and sensor clocks, telemetry, the technician's other
// visits) and the inspection with its checks. Each operation runs in the caller's
// transaction; statements are prepared once. Not thread-safe: one per connection.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/clock_skew.hpp"
#include "gateway/core/freshness.hpp"
#include "gateway/core/inspection.hpp"
#include "gateway/core/messages.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

struct StoredTap {
  std::int64_t id = 0;
  core::UnixMillis received_at = 0;
  core::Tap tap;
};

// An end tap waiting for its start.
struct WaitingEnd {
  std::int64_t tap_id = 0;
  std::optional<std::int64_t> read_counter;
};

// Which open start an end tap may pair with.
struct OpenStartQuery {
  std::string site;
  std::string device_id;
  core::UnixMillis read_from = 0;  // Read in [read_from, read_to].
  core::UnixMillis read_to = 0;
  // Of this tag and below this counter; none = the latest of any tag.
  std::optional<std::string> tag_uid;
  std::int64_t below_counter = 0;
};

// Another inspection of the technician (not rejected), with its asset's id.
struct TechnicianVisit {
  core::OtherVisit visit;  // Its asset holds only the id.
  std::string asset_id;
};

// The inspection as the verifier stores it (its verdict and checks come with the assessment).
struct InspectionRow {
  std::string site;
  std::optional<std::string> asset_id;
  std::string technician_id;
  std::string device_id;
  std::int64_t start_tap_id = 0;
  std::int64_t end_tap_id = 0;
  core::UnixMillis started_at = 0;
  core::UnixMillis ended_at = 0;
  std::optional<std::string> result;
  std::string checklist;  // JSON.
  std::string defects;    // JSON.
  core::UnixMillis assessed_at = 0;
  std::vector<std::string> photos;  // SHA-256, in the end tap's order.
};

class VerificationStore {
 public:
  explicit VerificationStore(Database& db) : db_(db), sql_(db) {}

  // Oldest first. A tap whose payload no longer decodes is left out (it decoded when stored).
  std::vector<StoredTap> UnassessedTaps(std::size_t limit);
  std::optional<StoredTap> FindTap(std::int64_t tap_id);
  void MarkAssessed(std::int64_t tap_id);

  // The handheld's latest `limit` messages up to tap `up_to_tap`, in arrival order.
  std::vector<core::ClockSample> RecentSends(const std::string& site, const std::string& device_id,
                                             std::int64_t up_to_tap, std::int64_t limit);
  // The sensor's smallest delay, which is its clock's offset (sensors send at once); 0 when
  // it has sent nothing.
  core::UnixMillis SensorClockOffset(const std::string& site, const std::string& asset_id);
  // The asset's readings sent with device times in [from, to], not corrected.
  std::vector<core::TimedReading> TelemetryBetween(const std::string& site,
                                                   const std::string& asset_id,
                                                   core::UnixMillis from, core::UnixMillis to);

  // The tag's kept reads nearest to `counter`: the highest below (at or below unless
  // `exclude_equal`) and the lowest above.
  std::vector<core::SeenRead> NeighbourReads(const std::string& site, const std::string& uid,
                                             std::uint32_t counter, bool exclude_equal);
  void KeepRead(const std::string& site, const std::string& uid, std::uint32_t counter,
                core::UnixMillis read_at, std::int64_t tap_id);
  // Reads of the tag strictly between the two counters by another handheld than `device_id`.
  std::int64_t OtherHandheldReads(const std::string& site, const std::string& uid,
                                  std::int64_t above, std::int64_t below,
                                  const std::string& device_id);

  void SaveEvidence(const StoredTap& tap, const core::AssessedTap& assessed);
  // The read time, clock offset, timing and freshness, judged again.
  void UpdateEvidence(const core::AssessedTap& assessed);
  std::optional<core::AssessedTap> FindEvidence(std::int64_t tap_id);
  // The open start (no inspection yet) the query names, read last.
  std::optional<core::AssessedTap> OpenStart(const OpenStartQuery& query);

  void AddWaitingEnd(const StoredTap& end, const core::AssessedTap& assessed, core::UnixMillis now);
  void RemoveWaitingEnd(std::int64_t tap_id);
  // The earliest-read end of the handheld and tag (none: the tag was unreadable) read in
  // [read_from, read_to] and above `above_counter`.
  std::optional<WaitingEnd> WaitingEndFor(const std::string& site, const std::string& device_id,
                                          const std::optional<std::string>& tag_uid,
                                          core::UnixMillis read_from, core::UnixMillis read_to,
                                          std::int64_t above_counter);
  // Ends waiting since `since` or longer, longest first, at most `limit`.
  std::vector<std::int64_t> WaitingEndsSince(core::UnixMillis since, std::int64_t limit);

  // The technician's visit that ended last at or before `at`, the one that started first at
  // or after `at`, and one that overlaps [start, end) having started at or after `from`.
  std::optional<TechnicianVisit> VisitEndedBefore(const std::string& site,
                                                  const std::string& technician_id,
                                                  core::UnixMillis at);
  std::optional<TechnicianVisit> VisitStartedAfter(const std::string& site,
                                                   const std::string& technician_id,
                                                   core::UnixMillis at);
  std::optional<TechnicianVisit> OverlappingVisit(const std::string& site,
                                                  const std::string& technician_id,
                                                  core::UnixMillis from, core::UnixMillis start,
                                                  core::UnixMillis end);

  // Of these photos, those the gateway does not have.
  std::vector<std::string> MissingPhotos(const std::vector<std::string>& hashes);

  // Inserts the inspection, its checks and its photos, and links both taps' evidence to it;
  // its id.
  std::int64_t SaveInspection(const InspectionRow& inspection, const core::Assessment& assessment);

 private:
  std::optional<TechnicianVisit> Visit(const std::string& where_order, const std::string& site,
                                       const std::string& technician_id,
                                       std::initializer_list<core::UnixMillis> times);

  Database& db_;
  StatementCache sql_;  // The verifier runs these for every tap: prepare once.
};

}  // namespace fieldproof::store
