#pragma once
// The raw event store: taps, telemetry and rejected messages. Idempotent on
// (site, device, msg_id) for taps and (site, asset, msg_id) for telemetry, so QoS 1
// redeliveries and handheld resends are stored once. Not thread-safe: one writer.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "gateway/core/clock_skew.hpp"
#include "gateway/core/messages.hpp"
#include "gateway/core/views.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

inline constexpr std::size_t kStoredRejectedPayloadBytes = 4096;

struct PendingEvent {
  std::string topic;
  std::string site;  // From the topic; empty when the topic named none.
  std::string payload;
  core::UnixMillis received_at = 0;
  std::variant<core::Tap, core::Telemetry, core::Rejection> decoded;
  std::uint64_t journal_seq = 0;  // Its intake journal record; 0 when not journaled.
};

enum class EventOutcome { kStored, kDuplicate, kRejected };

struct EventResult {
  EventOutcome outcome;
  std::optional<core::Rejection> rejection;  // Set when kRejected.
};

struct EventCounts {
  std::int64_t taps = 0;
  std::int64_t telemetry = 0;
  std::int64_t rejected = 0;
};

// How long and how many rejected messages are kept with their payloads (docs/operations.md):
// a misbehaving client must not fill the disk. Older ones, and the oldest beyond the newest
// keep_rows, are dropped; table rejected_pruned counts them per site and reason.
struct RejectedRetention {
  std::int64_t keep_days = 30;
  std::int64_t keep_rows = 100'000;
  std::int64_t check_every = 1'000;  // Rejected writes between two checks (the first checks).
};

class EventStore {
 public:
  explicit EventStore(Database& db, RejectedRetention retention = {});

  virtual ~EventStore() = default;

  // Writes the whole batch in one transaction, with the intake journal's watermark
  // moved to its highest journal_seq (batches come in journal order). Throws StoreError;
  // then nothing of the batch is written and the caller may retry it as is. Virtual so
  // tests can slow it down or make it fail like a full disk.
  virtual std::vector<EventResult> WriteBatch(std::span<const PendingEvent> events);

  // Every intake journal record up to this one is stored.
  std::uint64_t CommittedJournalSeq();

  // Taps and telemetry stored; rejected messages ever stored, those since dropped included.
  EventCounts Counts();
  // Rejected messages ever stored per reason, those since dropped included.
  std::map<std::string, std::int64_t> RejectedByReason();

  // Drops the rejected messages RejectedRetention no longer keeps at `now`, counting them in
  // rejected_pruned, in the caller's transaction. WriteBatch does this every check_every
  // rejected writes. Returns the rows dropped.
  std::int64_t PruneRejected(core::UnixMillis now);

 private:
  EventResult WriteTap(const PendingEvent& event, const core::Tap& tap);
  EventResult WriteTelemetry(const PendingEvent& event, const core::Telemetry& telemetry);
  EventResult WriteRejected(const PendingEvent& event, const core::Rejection& rejection);
  // Counts the rejected messages matching `condition` (on ?1 = `bound`) in rejected_pruned,
  // then deletes them; returns how many.
  std::int64_t DropRejected(const std::string& condition, std::int64_t bound);
  void ObserveSensorClock(const core::Telemetry& telemetry, core::UnixMillis delay);
  // An identical resend is a duplicate; the same id with other bytes is refused.
  EventResult Duplicate(Statement& stored_payload, const PendingEvent& event);

  Database& db_;
  Statement insert_tap_;
  Statement insert_telemetry_;
  Statement insert_rejected_;
  RejectedRetention retention_;
  std::int64_t rejected_until_check_ = 1;  // The first rejected write checks.
  Statement tap_payload_;
  Statement telemetry_payload_;
  Statement asset_exists_;
  Statement read_sensor_clock_;
  Statement write_sensor_clock_;
  // Each sensor's clock windows (table sensor_clocks) as committed, and as the transaction
  // under way changed them. The table's row is written only when a minimum changes, so its
  // window_count may lag behind these. When delays are random noise around an offset, about
  // one message in six writes it (a new minimum: about 3.8 in a window of 25).
  std::unordered_map<std::string, core::SensorClockWindows> sensor_clocks_;
  std::unordered_map<std::string, core::SensorClockWindows> sensor_clocks_in_transaction_;
  Statement advance_cursor_;
};

// Rejected messages, newest first, of `site` ("" = all): what operators look through.
core::Page<core::RejectedMessage> ListRejected(Database& db, const std::string& site,
                                               core::PageRequest page);

}  // namespace fieldproof::store
