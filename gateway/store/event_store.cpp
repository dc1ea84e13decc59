#include "gateway/store/event_store.hpp"

#include <algorithm>

#include "gateway/codec/message_codec.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/read_page.hpp"

namespace fieldproof::store {
namespace {

// Stable across builds and platforms (std::hash is not), cheap, good enough to tell
// a redelivery from a different payload of the same length on the same topic.
std::uint64_t Fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

// Messages per window of a sensor's clock (migration 9): its offset is read from its newest
// 25 to 50 messages.
constexpr std::int64_t kSensorClockWindow = 25;

}  // namespace

EventStore::EventStore(Database& db, RejectedRetention retention)
    : db_(db),
      insert_tap_(db.Prepare(
          "INSERT INTO taps (site, device_id, msg_id, technician_id, kind, tag_type, tag_value, "
          "read_at, sent_at, received_at, result, checklist, defects, work_order_id, firmware, "
          "payload) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
          "ON CONFLICT (site, device_id, msg_id) DO NOTHING")),
      insert_telemetry_(db.Prepare(
          "INSERT INTO telemetry (site, asset_id, msg_id, device_time, received_at, payload) "
          "VALUES (?,?,?,?,?,?) ON CONFLICT (site, asset_id, device_time, msg_id) DO NOTHING")),
      insert_rejected_(db.Prepare(
          "INSERT INTO rejected_messages (site, topic, msg_id, reason, detail, payload, "
          "payload_bytes, payload_hash, received_at, last_received_at) "
          "VALUES (?,?,?,?,?,?,?,?,?,?9) ON CONFLICT (topic, payload_hash, payload_bytes) DO UPDATE "
          "SET times_seen = times_seen + 1, last_received_at = excluded.last_received_at")),
      retention_(retention),
      tap_payload_(db.Prepare(
          "SELECT payload FROM taps WHERE site = ? AND device_id = ? AND msg_id = ?")),
      telemetry_payload_(db.Prepare(
          "SELECT payload FROM telemetry WHERE site = ? AND asset_id = ? AND device_time = ? AND msg_id = ?")),
      asset_exists_(db.Prepare("SELECT 1 FROM assets WHERE site = ? AND asset_id = ?")),
      read_sensor_clock_(db.Prepare(
          "SELECT delay_min, window_count, previous_delay_min FROM sensor_clocks WHERE site = ? AND asset_id = ?")),
      write_sensor_clock_(db.Prepare(
          "INSERT INTO sensor_clocks (site, asset_id, delay_min, window_count, previous_delay_min) "
          "VALUES (?,?,?,?,?) ON CONFLICT (site, asset_id) DO UPDATE SET delay_min = excluded.delay_min, "
          "window_count = excluded.window_count, previous_delay_min = excluded.previous_delay_min")),
      advance_cursor_(db.Prepare(
          "UPDATE intake_cursor SET journal_seq = ?1 WHERE id = 1 AND journal_seq < ?1")) {}

std::vector<EventResult> EventStore::WriteBatch(std::span<const PendingEvent> events) {
  std::vector<EventResult> results;
  results.reserve(events.size());
  sensor_clocks_in_transaction_.clear();  // A failed transaction's changes were rolled back.
  InTransaction(db_, [&] {
    std::uint64_t journal_seq = 0;
    core::UnixMillis latest = 0;
    for (const PendingEvent& event : events) {
      journal_seq = std::max(journal_seq, event.journal_seq);
      latest = std::max(latest, event.received_at);
      results.push_back(std::visit(
          [&](const auto& decoded) -> EventResult {
            using T = std::decay_t<decltype(decoded)>;
            if constexpr (std::is_same_v<T, core::Tap>) return WriteTap(event, decoded);
            if constexpr (std::is_same_v<T, core::Telemetry>) return WriteTelemetry(event, decoded);
            if constexpr (std::is_same_v<T, core::Rejection>) return WriteRejected(event, decoded);
          },
          event.decoded));
    }
    if (journal_seq > 0) advance_cursor_.Bind(1, static_cast<std::int64_t>(journal_seq)).Run();
    if (rejected_until_check_ <= 0) {
      PruneRejected(latest);
      rejected_until_check_ = retention_.check_every;
    }
  });
  for (auto& [sensor, windows] : sensor_clocks_in_transaction_) sensor_clocks_.insert_or_assign(sensor, windows);
  sensor_clocks_in_transaction_.clear();
  return results;
}

std::uint64_t EventStore::CommittedJournalSeq() {
  return static_cast<std::uint64_t>(db_.QueryInt("SELECT journal_seq FROM intake_cursor WHERE id = 1"));
}

EventResult EventStore::WriteTap(const PendingEvent& event, const core::Tap& tap) {
  Statement& s = insert_tap_;
  s.Bind(1, tap.site).Bind(2, tap.device_id).Bind(3, tap.msg_id).Bind(4, tap.technician_id);
  s.Bind(5, core::ToString(tap.kind));
  s.Bind(6, std::string_view(tap.tag.type == core::TagRead::Type::kSun ? "sun" : "uid"));
  s.Bind(7, tap.tag.value).Bind(8, tap.read_at).Bind(9, tap.sent_at).Bind(10, event.received_at);
  if (tap.result) {
    s.Bind(11, core::ToString(*tap.result)).Bind(12, codec::EncodeChecklist(tap.checklist));
  } else {
    s.BindNull(11).BindNull(12);
  }
  if (tap.defects.empty()) {
    s.BindNull(13);
  } else {
    s.Bind(13, codec::EncodeDefects(tap.defects));
  }
  s.BindOptional(14, tap.work_order_id).Bind(15, tap.firmware).BindBlob(16, event.payload);
  s.Run();
  if (db_.Changes() == 1) return {EventOutcome::kStored, std::nullopt};
  tap_payload_.Bind(1, tap.site).Bind(2, tap.device_id).Bind(3, tap.msg_id);
  return Duplicate(tap_payload_, event);
}

EventResult EventStore::WriteTelemetry(const PendingEvent& event, const core::Telemetry& t) {
  asset_exists_.Bind(1, t.site).Bind(2, t.asset_id);
  const bool known = asset_exists_.Step();
  asset_exists_.Reset();
  if (!known) {
    return WriteRejected(event, {core::RejectReason::kUnknownAsset,
                                 "asset '" + t.asset_id + "' is not in the registry of site '" +
                                     t.site + "'"});
  }
  Statement& s = insert_telemetry_;
  s.Bind(1, t.site).Bind(2, t.asset_id).Bind(3, t.msg_id).Bind(4, t.device_time);
  s.Bind(5, event.received_at).BindBlob(6, event.payload);
  s.Run();
  if (db_.Changes() == 1) {
    ObserveSensorClock(t, event.received_at - t.device_time);
    return {EventOutcome::kStored, std::nullopt};
  }
  telemetry_payload_.Bind(1, t.site).Bind(2, t.asset_id).Bind(3, t.device_time).Bind(4, t.msg_id);
  return Duplicate(telemetry_payload_, event);
}

void EventStore::ObserveSensorClock(const core::Telemetry& t, core::UnixMillis delay) {
  std::string sensor = t.site;
  sensor += '\0';
  sensor += t.asset_id;
  std::optional<core::SensorClockWindows> before;
  if (auto it = sensor_clocks_in_transaction_.find(sensor); it != sensor_clocks_in_transaction_.end()) {
    before = it->second;
  } else if (auto known = sensor_clocks_.find(sensor); known != sensor_clocks_.end()) {
    before = known->second;
  } else {
    Statement& s = read_sensor_clock_;
    s.Bind(1, t.site).Bind(2, t.asset_id);
    if (s.Step()) {
      before = core::SensorClockWindows{s.Int(0), s.Int(1), std::nullopt};
      if (!s.IsNull(2)) before->previous_delay_min = s.Int(2);
    }
    s.Reset();
  }
  const core::SensorClockWindows after = core::ObserveSensorDelay(before, delay, kSensorClockWindow);
  // Verification reads only the two minima (TapVerifier::SensorClockOffset).
  if (!before || after.delay_min != before->delay_min || after.previous_delay_min != before->previous_delay_min) {
    Statement& s = write_sensor_clock_;
    s.Bind(1, t.site).Bind(2, t.asset_id).Bind(3, after.delay_min).Bind(4, after.count);
    s.BindOptional(5, after.previous_delay_min).Run();
  }
  sensor_clocks_in_transaction_.insert_or_assign(std::move(sensor), after);
}

EventResult EventStore::Duplicate(Statement& stored_payload, const PendingEvent& event) {
  const std::string stored = stored_payload.Step() ? stored_payload.Text(0) : std::string();
  stored_payload.Reset();
  if (stored == event.payload) return {EventOutcome::kDuplicate, std::nullopt};
  return WriteRejected(event, {core::RejectReason::kConflictingDuplicate,
                               "this msg_id was stored before with different content"});
}

EventResult EventStore::WriteRejected(const PendingEvent& event, const core::Rejection& rejection) {
  --rejected_until_check_;
  Statement& s = insert_rejected_;
  s.BindOrNull(1, event.site).Bind(2, event.topic).BindOptional(3, codec::PeekMsgId(event.payload));
  s.Bind(4, core::ReasonCode(rejection.reason)).Bind(5, rejection.detail);
  s.BindBlob(6, std::string_view(event.payload).substr(0, kStoredRejectedPayloadBytes));
  s.Bind(7, static_cast<std::int64_t>(event.payload.size()));
  s.Bind(8, static_cast<std::int64_t>(Fnv1a64(event.payload))).Bind(9, event.received_at);
  s.Run();
  return {EventOutcome::kRejected, rejection};
}

EventCounts EventStore::Counts() {
  return {db_.QueryInt("SELECT count(*) FROM taps"), db_.QueryInt("SELECT count(*) FROM telemetry"),
          db_.QueryInt("SELECT (SELECT count(*) FROM rejected_messages) + "
                       "(SELECT coalesce(sum(count), 0) FROM rejected_pruned)")};
}

std::map<std::string, std::int64_t> EventStore::RejectedByReason() {
  std::map<std::string, std::int64_t> counts;
  auto s = db_.Prepare(
      "SELECT reason, count(*) FROM rejected_messages GROUP BY reason UNION ALL "
      "SELECT reason, sum(count) FROM rejected_pruned GROUP BY reason");
  while (s.Step()) counts[s.Text(0)] += s.Int(1);
  return counts;
}

std::int64_t EventStore::PruneRejected(core::UnixMillis now) {
  // Not seen for keep_days (a message still arriving stays, so it is never counted twice);
  // then, ids growing with time, the oldest beyond the newest keep_rows (fewer where ids
  // have gaps).
  return DropRejected("last_received_at < ?1", now - retention_.keep_days * 86'400'000) +
         DropRejected("id <= ?1",
                      db_.QueryInt("SELECT coalesce(max(id), 0) FROM rejected_messages") -
                          retention_.keep_rows);
}

std::int64_t EventStore::DropRejected(const std::string& condition, std::int64_t bound) {
  db_.Prepare("INSERT INTO rejected_pruned (site, reason, count) "
              "SELECT coalesce(site, ''), reason, count(*) FROM rejected_messages WHERE " +
              condition +
              " GROUP BY 1, 2 ON CONFLICT (site, reason) DO UPDATE SET count = count + excluded.count")
      .Bind(1, bound)
      .Run();
  db_.Prepare("DELETE FROM rejected_messages WHERE " + condition).Bind(1, bound).Run();
  return db_.Changes();
}

core::Page<core::RejectedMessage> ListRejected(Database& db, const std::string& site,
                                               core::PageRequest page) {
  auto s = db.Prepare(
      "SELECT id, received_at, coalesce(site, '') AS site, topic, coalesce(msg_id, '') AS msg_id, "
      "reason, detail, times_seen, payload_bytes, substr(payload, 1, 120) AS payload_start "
      "FROM rejected_messages WHERE ?1 = '' OR site = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3");
  s.Bind(1, site).Bind(2, page.limit + 1).Bind(3, page.offset);
  return ReadPage<core::RejectedMessage>(s, page, [](const Statement& row) {
    return core::RejectedMessage{row.Int("id"),         row.Int("received_at"),
                                 row.Text("site"),      row.Text("topic"),
                                 row.Text("msg_id"),    row.Text("reason"),
                                 row.Text("detail"),    row.Int("times_seen"),
                                 row.Int("payload_bytes"), row.Text("payload_start")};
  });
}

}  // namespace fieldproof::store
