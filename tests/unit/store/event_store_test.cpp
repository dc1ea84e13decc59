// EventStore on a real SQLite file: idempotency, duplicates, rejections, batches.
#include "gateway/store/event_store.hpp"

#include <sqlite3.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gateway/codec/message_codec.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/registry_store.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

using core::RejectReason;
using testing::kNow;
using testing::MakeAsset;
using testing::MakeTap;
using testing::MakeTelemetry;
using testing::RejectedEvent;
using testing::TapEvent;
using testing::TelemetryEvent;

struct RejectedRow {
  bool site_is_null = false;
  std::string site;
  std::string topic;
  bool msg_id_is_null = false;
  std::string msg_id;
  std::string reason;
  std::string detail;
  std::string payload;
  std::int64_t payload_bytes = 0;
  std::int64_t received_at = 0;
  std::int64_t times_seen = 0;
  std::int64_t last_received_at = 0;
};

class EventStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(dir_.File("events.db"));
    Migrate(*db_);
    store_ = std::make_unique<EventStore>(*db_);
  }

  void AddAsset(const std::string& id, const std::string& tag, const std::string& site = "FRA") {
    RegistryStore registry(*db_);
    const std::vector<codec::RegistryFile<core::Asset>::Row> rows = {{2, MakeAsset(id, tag, site)}};
    const ImportReport report = registry.ImportAssets(rows, kNow);
    ASSERT_TRUE(report.errors.empty());
  }

  EventResult WriteOne(const PendingEvent& event) {
    const std::vector<EventResult> results = store_->WriteBatch({&event, 1});
    EXPECT_EQ(results.size(), 1u);
    return results.at(0);
  }

  std::vector<RejectedRow> RejectedRows() {
    std::vector<RejectedRow> rows;
    Statement s = db_->Prepare(
        "SELECT site, topic, msg_id, reason, detail, payload, payload_bytes, received_at, "
        "times_seen, last_received_at FROM rejected_messages ORDER BY id");
    while (s.Step()) {
      RejectedRow r;
      r.site_is_null = s.IsNull(0);
      r.site = s.Text(0);
      r.topic = s.Text(1);
      r.msg_id_is_null = s.IsNull(2);
      r.msg_id = s.Text(2);
      r.reason = s.Text(3);
      r.detail = s.Text(4);
      r.payload = s.Text(5);
      r.payload_bytes = s.Int(6);
      r.received_at = s.Int(7);
      r.times_seen = s.Int(8);
      r.last_received_at = s.Int(9);
      rows.push_back(r);
    }
    return rows;
  }

  // The one sensor's row in sensor_clocks: delay_min, window_count, previous_delay_min (-1: none).
  std::vector<std::int64_t> SensorClockRow() {
    Statement s = db_->Prepare(
        "SELECT delay_min, window_count, coalesce(previous_delay_min, -1) FROM sensor_clocks");
    EXPECT_TRUE(s.Step());
    std::vector<std::int64_t> row = {s.Int(0), s.Int(1), s.Int(2)};
    EXPECT_FALSE(s.Step()) << "more than one sensor";
    return row;
  }

  std::int64_t Count(const std::string& table) {
    return db_->QueryInt("SELECT count(*) FROM " + table);
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<EventStore> store_;
};

TEST_F(EventStoreTest, StoresATapWithItsColumns) {
  core::Tap tap = MakeTap("HH-0042:1");
  tap.kind = core::TapKind::kEnd;
  tap.checklist = {{"no_damage", core::ChecklistAnswer::kPass}};
  tap.result = core::InspectionResult::kFail;
  tap.defects = {{"seal_torn", core::Severity::kMajor, "left"}};
  tap.work_order_id = "WO-1";
  const PendingEvent event = TapEvent(tap, kNow + 7);

  const EventResult result = WriteOne(event);
  EXPECT_EQ(result.outcome, EventOutcome::kStored);
  EXPECT_FALSE(result.rejection.has_value());

  Statement s = db_->Prepare(
      "SELECT site, device_id, msg_id, technician_id, kind, tag_type, tag_value, read_at, "
      "sent_at, received_at, result, checklist, defects, work_order_id, firmware, payload "
      "FROM taps");
  ASSERT_TRUE(s.Step());
  EXPECT_EQ(s.Text(0), "FRA");
  EXPECT_EQ(s.Text(1), "HH-0042");
  EXPECT_EQ(s.Text(2), "HH-0042:1");
  EXPECT_EQ(s.Text(3), "T-0007");
  EXPECT_EQ(s.Text(4), "end");
  EXPECT_EQ(s.Text(5), "uid");
  EXPECT_EQ(s.Text(6), "04A1B2C3D4E5F6");
  EXPECT_EQ(s.Int(7), tap.read_at);
  EXPECT_EQ(s.Int(8), tap.sent_at);
  EXPECT_EQ(s.Int(9), kNow + 7);
  EXPECT_EQ(s.Text(10), "fail");
  EXPECT_EQ(s.Text(11), codec::EncodeChecklist(tap.checklist));
  EXPECT_EQ(s.Text(12), codec::EncodeDefects(tap.defects));
  EXPECT_EQ(s.Text(13), "WO-1");
  EXPECT_EQ(s.Text(14), "hh-2.4.1");
  EXPECT_EQ(s.Text(15), event.payload);
  EXPECT_FALSE(s.Step());
}

TEST_F(EventStoreTest, StartTapHasNullEndColumns) {
  WriteOne(TapEvent(MakeTap("HH-0042:1")));
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM taps WHERE result IS NULL AND checklist IS NULL "
                          "AND defects IS NULL AND work_order_id IS NULL AND kind = 'start'"),
            1);
}

TEST_F(EventStoreTest, IdenticalResendIsADuplicateAndStoredOnce) {
  const PendingEvent event = TapEvent(MakeTap("HH-0042:1"));
  EXPECT_EQ(WriteOne(event).outcome, EventOutcome::kStored);
  PendingEvent again = event;
  again.received_at = kNow + 60000;  // A later redelivery of the same bytes.
  const EventResult second = WriteOne(again);
  EXPECT_EQ(second.outcome, EventOutcome::kDuplicate);
  EXPECT_FALSE(second.rejection.has_value());
  EXPECT_EQ(Count("taps"), 1);
  EXPECT_EQ(Count("rejected_messages"), 0);
  EXPECT_EQ(db_->QueryInt("SELECT received_at FROM taps"), kNow);  // First delivery kept.
}

TEST_F(EventStoreTest, DuplicateInsideOneBatch) {
  const PendingEvent event = TapEvent(MakeTap("HH-0042:1"));
  const std::vector<PendingEvent> batch = {event, event, event};
  const auto results = store_->WriteBatch(batch);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].outcome, EventOutcome::kStored);
  EXPECT_EQ(results[1].outcome, EventOutcome::kDuplicate);
  EXPECT_EQ(results[2].outcome, EventOutcome::kDuplicate);
  EXPECT_EQ(Count("taps"), 1);
}

TEST_F(EventStoreTest, SameMsgIdWithOtherBytesIsAConflictingDuplicate) {
  const core::Tap first = MakeTap("HH-0042:1");
  ASSERT_EQ(WriteOne(TapEvent(first)).outcome, EventOutcome::kStored);

  core::Tap changed = first;
  changed.read_at += 1;  // Same msg_id, different content.
  const PendingEvent conflicting = TapEvent(changed, kNow + 5);
  const EventResult result = WriteOne(conflicting);
  EXPECT_EQ(result.outcome, EventOutcome::kRejected);
  ASSERT_TRUE(result.rejection.has_value());
  EXPECT_EQ(result.rejection->reason, RejectReason::kConflictingDuplicate);

  EXPECT_EQ(Count("taps"), 1);
  EXPECT_EQ(db_->QueryInt("SELECT read_at FROM taps"), first.read_at);  // Original kept.
  const auto rows = RejectedRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reason, "conflicting_duplicate");
  EXPECT_EQ(rows[0].site, "FRA");
  EXPECT_EQ(rows[0].topic, "fieldproof/v1/FRA/tap/HH-0042");
  EXPECT_EQ(rows[0].msg_id, "HH-0042:1");
  EXPECT_EQ(rows[0].payload, conflicting.payload);
  EXPECT_EQ(rows[0].payload_bytes, static_cast<std::int64_t>(conflicting.payload.size()));
  EXPECT_EQ(rows[0].received_at, kNow + 5);
  EXPECT_EQ(rows[0].times_seen, 1);
}

TEST_F(EventStoreTest, SameMsgIdFromAnotherDeviceOrSiteIsAnotherMessage) {
  EXPECT_EQ(WriteOne(TapEvent(MakeTap("m-1", "HH-0042", "FRA"))).outcome, EventOutcome::kStored);
  EXPECT_EQ(WriteOne(TapEvent(MakeTap("m-1", "HH-0043", "FRA"))).outcome, EventOutcome::kStored);
  EXPECT_EQ(WriteOne(TapEvent(MakeTap("m-1", "HH-0042", "MUC"))).outcome, EventOutcome::kStored);
  EXPECT_EQ(Count("taps"), 3);
  EXPECT_EQ(Count("rejected_messages"), 0);
}

TEST_F(EventStoreTest, TelemetryForUnknownAssetIsRejected) {
  AddAsset("A-1", "04000000000001", "MUC");  // Same id at another site does not count.
  const PendingEvent event = TelemetryEvent(MakeTelemetry("t-1", "A-1", "FRA"));
  const EventResult result = WriteOne(event);
  EXPECT_EQ(result.outcome, EventOutcome::kRejected);
  ASSERT_TRUE(result.rejection.has_value());
  EXPECT_EQ(result.rejection->reason, RejectReason::kUnknownAsset);
  EXPECT_NE(result.rejection->detail.find("A-1"), std::string::npos) << result.rejection->detail;
  EXPECT_EQ(Count("telemetry"), 0);
  const auto rows = RejectedRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reason, "unknown_asset");
  EXPECT_EQ(rows[0].topic, "fieldproof/v1/FRA/telemetry/A-1");
  EXPECT_EQ(rows[0].msg_id, "t-1");
}

TEST_F(EventStoreTest, TelemetryForKnownAssetIsStoredOnceAndConflictsAreRefused) {
  AddAsset("A-1", "04000000000001");
  const core::Telemetry t = MakeTelemetry("t-1", "A-1");
  const PendingEvent event = TelemetryEvent(t, kNow + 3);
  EXPECT_EQ(WriteOne(event).outcome, EventOutcome::kStored);
  EXPECT_EQ(WriteOne(event).outcome, EventOutcome::kDuplicate);
  core::Telemetry changed = t;
  changed.readings.push_back(core::HeartbeatReading{5});
  const EventResult conflict = WriteOne(TelemetryEvent(changed));
  EXPECT_EQ(conflict.outcome, EventOutcome::kRejected);
  ASSERT_TRUE(conflict.rejection.has_value());
  EXPECT_EQ(conflict.rejection->reason, RejectReason::kConflictingDuplicate);

  EXPECT_EQ(Count("telemetry"), 1);
  Statement s = db_->Prepare(
      "SELECT site, asset_id, msg_id, device_time, received_at, payload FROM telemetry");
  ASSERT_TRUE(s.Step());
  EXPECT_EQ(s.Text(0), "FRA");
  EXPECT_EQ(s.Text(1), "A-1");
  EXPECT_EQ(s.Text(2), "t-1");
  EXPECT_EQ(s.Int(3), t.device_time);
  EXPECT_EQ(s.Int(4), kNow + 3);
  EXPECT_EQ(s.Text(5), event.payload);
  s.Reset();
}

// A reading is its sensor, device_time and msg_id (migration 10): a sensor whose counter
// started over after a reboot sends the old msg_ids with new times, and they are new readings.
TEST_F(EventStoreTest, TelemetryWithAReusedMsgIdAtAnotherDeviceTimeIsAnotherReading) {
  AddAsset("A-1", "04000000000001");
  const core::Telemetry before_reboot = MakeTelemetry("t-1", "A-1");
  core::Telemetry after_reboot = before_reboot;
  after_reboot.device_time += 86'400'000;
  EXPECT_EQ(WriteOne(TelemetryEvent(before_reboot)).outcome, EventOutcome::kStored);
  EXPECT_EQ(WriteOne(TelemetryEvent(after_reboot)).outcome, EventOutcome::kStored);
  EXPECT_EQ(WriteOne(TelemetryEvent(after_reboot)).outcome, EventOutcome::kDuplicate);
  EXPECT_EQ(Count("telemetry"), 2);
  EXPECT_EQ(Count("rejected_messages"), 0);
}

// A sensor's clock (migration 9) is its smallest delay over two windows of 25 messages; a
// full window becomes the previous one. Duplicates and rejections do not count.
TEST_F(EventStoreTest, EachStoredTelemetryMovesItsSensorsClockWindows) {
  AddAsset("A-1", "04000000000001");
  auto send = [&](int n, core::UnixMillis delay) {
    core::Telemetry t = MakeTelemetry("t-" + std::to_string(n), "A-1");
    return WriteOne(TelemetryEvent(t, t.device_time + delay)).outcome;
  };
  for (int n = 0; n < 25; ++n) EXPECT_EQ(send(n, 500 - n), EventOutcome::kStored);
  EXPECT_EQ(SensorClockRow(), (std::vector<std::int64_t>{476, 25, -1}));
  EXPECT_EQ(send(0, 1), EventOutcome::kDuplicate);  // Resent with another arrival: no sample.
  EXPECT_EQ(send(25, 900), EventOutcome::kStored);
  EXPECT_EQ(send(26, 800), EventOutcome::kStored);
  EXPECT_EQ(SensorClockRow(), (std::vector<std::int64_t>{800, 2, 476}));
}

// The row is written only when a minimum changes (about one message in six), so its
// window_count lags; the store counts the window in memory and still starts the next one at
// the 26th message.
TEST_F(EventStoreTest, TheSensorClockRowIsWrittenOnlyWhenAMinimumChanges) {
  AddAsset("A-1", "04000000000001");
  auto send = [&](EventStore& store, int n, core::UnixMillis delay) {
    core::Telemetry t = MakeTelemetry("t-" + std::to_string(n), "A-1");
    const PendingEvent event = TelemetryEvent(t, t.device_time + delay);
    return store.WriteBatch({&event, 1}).at(0).outcome;
  };
  auto changes_before = sqlite3_total_changes(db_->handle());
  auto row_writes = [&] {  // Rows changed by the last message besides its own telemetry row.
    const auto now = sqlite3_total_changes(db_->handle());
    return now - std::exchange(changes_before, now) - 1;
  };
  EXPECT_EQ(send(*store_, 0, 300), EventOutcome::kStored);
  EXPECT_EQ(row_writes(), 1);
  for (int n = 1; n < 25; ++n) {
    EXPECT_EQ(send(*store_, n, 300 + n), EventOutcome::kStored);
    EXPECT_EQ(row_writes(), 0) << "message " << n << " left both minima as they were";
  }
  EXPECT_EQ(SensorClockRow(), (std::vector<std::int64_t>{300, 1, -1}));
  EXPECT_EQ(send(*store_, 25, 400), EventOutcome::kStored);  // The 26th: a new window.
  EXPECT_EQ(row_writes(), 1);
  EXPECT_EQ(SensorClockRow(), (std::vector<std::int64_t>{400, 1, 300}));
  EXPECT_EQ(send(*store_, 26, 350), EventOutcome::kStored);
  EXPECT_EQ(SensorClockRow(), (std::vector<std::int64_t>{350, 2, 300}));

  // After a restart the row's count is where the window resumes: it lasts a little longer.
  EventStore restarted(*db_);
  EXPECT_EQ(send(restarted, 27, 340), EventOutcome::kStored);
  EXPECT_EQ(SensorClockRow(), (std::vector<std::int64_t>{340, 3, 300}));
}

// A batch whose transaction rolls back leaves the sensors' windows as they were: sent again,
// its messages move them once.
TEST_F(EventStoreTest, ARolledBackBatchDoesNotMoveTheSensorClocks) {
  AddAsset("A-1", "04000000000001");
  core::Telemetry first = MakeTelemetry("t-0", "A-1");
  WriteOne(TelemetryEvent(first, first.device_time + 100));
  core::Telemetry lower = MakeTelemetry("t-1", "A-1"), failing = MakeTelemetry("t-boom", "A-1");
  const std::vector<PendingEvent> batch = {TelemetryEvent(lower, lower.device_time + 50),
                                           TelemetryEvent(failing, failing.device_time + 500)};
  db_->Exec("CREATE TEMP TRIGGER boom AFTER INSERT ON telemetry WHEN NEW.msg_id = 't-boom' "
            "BEGIN SELECT RAISE(ABORT, 'a disk error, say'); END");
  EXPECT_THROW(store_->WriteBatch(batch), StoreError);
  EXPECT_EQ(db_->QueryInt("SELECT delay_min FROM sensor_clocks"), 100);
  db_->Exec("DROP TRIGGER boom");
  const auto results = store_->WriteBatch(batch);
  EXPECT_EQ(results.at(0).outcome, EventOutcome::kStored);
  EXPECT_EQ(db_->QueryInt("SELECT delay_min FROM sensor_clocks"), 50);
  EXPECT_EQ(db_->QueryInt("SELECT window_count FROM sensor_clocks"), 2);  // Written last at the 50.
}

TEST_F(EventStoreTest, RejectedPayloadIsTruncatedButItsSizeIsKept) {
  std::string payload = "{\"msg_id\":\"big-1\",\"pad\":\"";
  payload += std::string(10000, 'x');
  payload += "\"}";
  const PendingEvent event = RejectedEvent("fieldproof/v1/FRA/tap/HH-0042", "FRA", payload,
                                           RejectReason::kPayloadTooLarge);
  const EventResult result = WriteOne(event);
  EXPECT_EQ(result.outcome, EventOutcome::kRejected);
  ASSERT_TRUE(result.rejection.has_value());
  EXPECT_EQ(result.rejection->reason, RejectReason::kPayloadTooLarge);
  EXPECT_EQ(result.rejection->detail, "test rejection");

  const auto rows = RejectedRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].payload.size(), kStoredRejectedPayloadBytes);
  EXPECT_EQ(kStoredRejectedPayloadBytes, 4096u);
  EXPECT_EQ(rows[0].payload, payload.substr(0, 4096));
  EXPECT_EQ(rows[0].payload_bytes, static_cast<std::int64_t>(payload.size()));
  EXPECT_EQ(rows[0].msg_id, "big-1");  // Read from the whole payload.
  EXPECT_EQ(rows[0].reason, "payload_too_large");
  EXPECT_EQ(rows[0].detail, "test rejection");
}

TEST_F(EventStoreTest, PayloadOfExactly4096BytesIsKeptWhole) {
  const std::string payload(4096, 'y');
  WriteOne(RejectedEvent("t", "FRA", payload, RejectReason::kMalformedJson));
  const auto rows = RejectedRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].payload, payload);
  EXPECT_EQ(rows[0].payload_bytes, 4096);
}

TEST_F(EventStoreTest, SameRejectedMessageTwiceIsCountedNotStoredAgain) {
  const std::string payload = "{not json";
  const std::string topic = "fieldproof/v1/FRA/tap/HH-0042";
  WriteOne(RejectedEvent(topic, "FRA", payload, RejectReason::kMalformedJson, kNow));
  WriteOne(RejectedEvent(topic, "FRA", payload, RejectReason::kMalformedJson, kNow + 1000));
  auto rows = RejectedRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].times_seen, 2);
  EXPECT_EQ(rows[0].received_at, kNow);
  EXPECT_EQ(rows[0].last_received_at, kNow + 1000);
  EXPECT_TRUE(rows[0].msg_id_is_null);

  // Another payload, or the same payload on another topic, is another row.
  WriteOne(RejectedEvent(topic, "FRA", payload + "!", RejectReason::kMalformedJson));
  WriteOne(RejectedEvent("fieldproof/v1/FRA/tap/HH-0043", "FRA", payload,
                         RejectReason::kMalformedJson));
  rows = RejectedRows();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].times_seen, 2);
  EXPECT_EQ(rows[1].times_seen, 1);
  EXPECT_EQ(rows[2].times_seen, 1);
}

// Issue 17, finding 8: a client sending garbage grew the table without bound. The oldest
// rows beyond keep_rows, and rows older than keep_days, are dropped as more come in; their
// counts per reason live on in rejected_pruned, so the total never goes down.
TEST_F(EventStoreTest, RejectedMessagesAreBoundedAndTheirCountsSurvive) {
  store_ = std::make_unique<EventStore>(*db_, RejectedRetention{30, 100, 10});
  const std::string topic = "fieldproof/v1/FRA/tap/HH-0042";
  const core::UnixMillis day = 86'400'000;
  WriteOne(RejectedEvent(topic, "FRA", "old", RejectReason::kMalformedJson, kNow - 40 * day));
  for (int batch = 0; batch < 30; ++batch) {
    std::vector<PendingEvent> events;
    for (int i = 0; i < 10; ++i) {
      events.push_back(RejectedEvent(topic, i % 2 ? "FRA" : "", "{bad " + std::to_string(batch * 10 + i),
                                     i % 2 ? RejectReason::kMalformedJson : RejectReason::kUnknownTopic,
                                     kNow + batch));
    }
    store_->WriteBatch(events);
  }
  const std::int64_t kept = db_->QueryInt("SELECT count(*) FROM rejected_messages");
  EXPECT_LE(kept, 100 + 2 * 10) << "at most keep_rows, plus what came since the last check";
  EXPECT_GE(kept, 100);
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM rejected_messages WHERE CAST(payload AS TEXT) = 'old'"), 0)
      << "older than keep_days";
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM rejected_messages WHERE CAST(payload AS TEXT) = '{bad 299'"), 1)
      << "the newest are kept";
  EXPECT_EQ(store_->Counts().rejected, 301);
  EXPECT_EQ(db_->QueryInt("SELECT sum(count) FROM rejected_pruned"), 301 - kept);
  EXPECT_EQ(db_->QueryInt("SELECT count FROM rejected_pruned WHERE site = '' AND reason = 'unknown_topic'") +
                db_->QueryInt("SELECT count(*) FROM rejected_messages WHERE reason = 'unknown_topic'"),
            150);
}

// Age alone: a message not seen for keep_days goes (counted); one first seen as long ago but
// still arriving stays, so its next copy is never a second row counted twice.
TEST_F(EventStoreTest, RejectedMessagesNotSeenForKeepDaysAreDroppedAndCounted) {
  store_ = std::make_unique<EventStore>(*db_, RejectedRetention{30, 100'000, 1});
  const std::string topic = "fieldproof/v1/FRA/tap/HH-0042";
  const core::UnixMillis day = 86'400'000;
  WriteOne(RejectedEvent(topic, "FRA", "gone quiet", RejectReason::kMalformedJson, kNow - 40 * day));
  WriteOne(RejectedEvent(topic, "FRA", "still coming", RejectReason::kMalformedJson, kNow - 40 * day));
  WriteOne(RejectedEvent(topic, "FRA", "still coming", RejectReason::kMalformedJson, kNow - day));
  WriteOne(RejectedEvent(topic, "FRA", "new", RejectReason::kMalformedJson, kNow));
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM rejected_messages WHERE CAST(payload AS TEXT) = 'gone quiet'"), 0);
  EXPECT_EQ(db_->QueryInt("SELECT times_seen FROM rejected_messages WHERE CAST(payload AS TEXT) = 'still coming'"), 2);
  EXPECT_EQ(db_->QueryInt("SELECT count FROM rejected_pruned WHERE site = 'FRA' AND reason = 'malformed_json'"), 1);
  EXPECT_EQ(store_->Counts().rejected, 3);
  EXPECT_EQ(store_->RejectedByReason().at("malformed_json"), 3);
}

TEST_F(EventStoreTest, SameTruncatedPrefixButDifferentTailIsAnotherRow) {
  // Both payloads share the stored 4096-byte prefix and the length; only the hash differs.
  const std::string a = std::string(5000, 'a') + "1";
  const std::string b = std::string(5000, 'a') + "2";
  WriteOne(RejectedEvent("t", "FRA", a, RejectReason::kPayloadTooLarge));
  WriteOne(RejectedEvent("t", "FRA", b, RejectReason::kPayloadTooLarge));
  WriteOne(RejectedEvent("t", "FRA", a, RejectReason::kPayloadTooLarge));
  const auto rows = RejectedRows();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].times_seen, 2);
  EXPECT_EQ(rows[1].times_seen, 1);
}

TEST_F(EventStoreTest, RejectionWithoutSiteStoresNull) {
  WriteOne(RejectedEvent("some/other/topic", "", "{\"msg_id\":\"x-1\"}",
                         RejectReason::kUnknownTopic));
  const auto rows = RejectedRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].site_is_null);
  EXPECT_EQ(rows[0].topic, "some/other/topic");
  EXPECT_EQ(rows[0].msg_id, "x-1");
  EXPECT_EQ(rows[0].reason, "unknown_topic");
}

TEST_F(EventStoreTest, BinaryPayloadIsStoredByteForByte) {
  const std::string payload("\x00\xFF{\"a\x00\x01", 8);
  WriteOne(RejectedEvent("t", "FRA", payload, RejectReason::kMalformedJson));
  const auto rows = RejectedRows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].payload, payload);
  EXPECT_EQ(rows[0].payload_bytes, 8);
}

TEST_F(EventStoreTest, ThousandMixedEventsInOneBatchGiveResultsInOrder) {
  AddAsset("A-1", "04000000000001");
  std::vector<PendingEvent> batch;
  std::vector<EventOutcome> expected_outcomes;
  std::vector<std::optional<RejectReason>> expected_reasons;
  auto expect = [&](EventOutcome o, std::optional<RejectReason> r = std::nullopt) {
    expected_outcomes.push_back(o);
    expected_reasons.push_back(r);
  };
  std::int64_t taps = 0, telemetry = 0, rejected = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "m-" + std::to_string(i);
    switch (i % 8) {
      case 0:
      case 1:
        batch.push_back(TapEvent(MakeTap(id)));
        expect(EventOutcome::kStored);
        ++taps;
        break;
      case 2:  // Resend of the tap two events back.
        batch.push_back(batch[batch.size() - 2]);
        expect(EventOutcome::kDuplicate);
        break;
      case 3: {  // Same msg_id as event i-2, other bytes.
        core::Tap tap = MakeTap("m-" + std::to_string(i - 2));
        tap.firmware = "changed";
        batch.push_back(TapEvent(tap));
        expect(EventOutcome::kRejected, RejectReason::kConflictingDuplicate);
        ++rejected;
        break;
      }
      case 4:
        batch.push_back(TelemetryEvent(MakeTelemetry(id, "A-1")));
        expect(EventOutcome::kStored);
        ++telemetry;
        break;
      case 5:
        batch.push_back(TelemetryEvent(MakeTelemetry(id, "A-404")));
        expect(EventOutcome::kRejected, RejectReason::kUnknownAsset);
        ++rejected;
        break;
      case 6:
        batch.push_back(RejectedEvent("fieldproof/v1/FRA/tap/HH-0042", "FRA", "{bad " + id,
                                      RejectReason::kMalformedJson));
        expect(EventOutcome::kRejected, RejectReason::kMalformedJson);
        ++rejected;
        break;
      case 7:  // The same bad bytes again: counted on the existing row.
        batch.push_back(batch.back());
        expect(EventOutcome::kRejected, RejectReason::kMalformedJson);
        break;
    }
  }
  ASSERT_EQ(batch.size(), 1000u);

  const std::vector<EventResult> results = store_->WriteBatch(batch);
  ASSERT_EQ(results.size(), 1000u);
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].outcome, expected_outcomes[i]) << "event " << i;
    EXPECT_EQ(results[i].rejection.has_value(), expected_reasons[i].has_value()) << "event " << i;
    if (results[i].rejection && expected_reasons[i]) {
      EXPECT_EQ(results[i].rejection->reason, *expected_reasons[i]) << "event " << i;
    }
  }
  const EventCounts counts = store_->Counts();
  EXPECT_EQ(counts.taps, taps);
  EXPECT_EQ(counts.telemetry, telemetry);
  EXPECT_EQ(counts.rejected, rejected);
  EXPECT_EQ(db_->QueryInt("SELECT sum(times_seen) FROM rejected_messages"), rejected + 125);
}

TEST_F(EventStoreTest, CountsStartAtZero) {
  const EventCounts counts = store_->Counts();
  EXPECT_EQ(counts.taps, 0);
  EXPECT_EQ(counts.telemetry, 0);
  EXPECT_EQ(counts.rejected, 0);
  EXPECT_TRUE(store_->WriteBatch({}).empty());
}

TEST_F(EventStoreTest, AFailedBatchWritesNothingAndCanBeRetried) {
  // A trigger makes the third event fail inside the transaction.
  db_->Exec(
      "CREATE TRIGGER boom BEFORE INSERT ON taps WHEN NEW.msg_id = 'boom' "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  AddAsset("A-1", "04000000000001");
  const std::vector<PendingEvent> batch = {
      TapEvent(MakeTap("ok-1")), TelemetryEvent(MakeTelemetry("t-1", "A-1")),
      RejectedEvent("t", "FRA", "{x", RejectReason::kMalformedJson), TapEvent(MakeTap("boom"))};
  EXPECT_THROW(store_->WriteBatch(batch), StoreError);
  EXPECT_EQ(Count("taps"), 0);
  EXPECT_EQ(Count("telemetry"), 0);
  EXPECT_EQ(Count("rejected_messages"), 0);

  db_->Exec("DROP TRIGGER boom");
  const auto results = store_->WriteBatch(batch);
  ASSERT_EQ(results.size(), 4u);
  for (const auto& r : {results[0], results[1], results[3]}) {
    EXPECT_EQ(r.outcome, EventOutcome::kStored);
  }
  EXPECT_EQ(results[2].outcome, EventOutcome::kRejected);
  EXPECT_EQ(Count("taps"), 2);
  EXPECT_EQ(Count("telemetry"), 1);
  EXPECT_EQ(Count("rejected_messages"), 1);
}

TEST_F(EventStoreTest, DataSurvivesReopen) {
  WriteOne(TapEvent(MakeTap("m-1")));
  store_.reset();
  db_.reset();
  db_ = std::make_unique<Database>(dir_.File("events.db"));
  Migrate(*db_);
  store_ = std::make_unique<EventStore>(*db_);
  EXPECT_EQ(store_->Counts().taps, 1);
  EXPECT_EQ(WriteOne(TapEvent(MakeTap("m-1"))).outcome, EventOutcome::kDuplicate);
}

}  // namespace
}  // namespace fieldproof::store
