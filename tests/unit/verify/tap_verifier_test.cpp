// The verifier on a real SQLite file with hand-made arrival times: clock-offset correction,
// and taps that wait hours in an offline handheld's outbox.
#include "gateway/verify/tap_verifier.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/crypto/hex.hpp"
#include "gateway/crypto/key_diversification.hpp"
#include "gateway/crypto/tag_emulator.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/registry_store.hpp"
#include "tests/unit/store/store_test_util.hpp"

namespace fieldproof::verify {
namespace {

constexpr core::UnixMillis kMinute = 60'000;
constexpr core::UnixMillis kHour = 60 * kMinute;
const crypto::Key128 kMaster = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};

class TapVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("fieldproof-verifier-" + std::to_string(std::random_device{}()) + ".db");
    db_ = std::make_unique<store::Database>(path_.string());
    store::Migrate(*db_);
    store::RegistryStore registry(*db_);
    asset_ = {"A-1", "FRA", "T1", 0, "Gate A", 10, 20, "fire_shutter", "04A1B2C3D4E5F6", 365, "OWN", false};
    std::vector<codec::RegistryFile<core::Asset>::Row> assets = {{2, asset_}};
    registry.ImportAssets(assets, 0);
    std::vector<codec::RegistryFile<core::Technician>::Row> techs = {
        {2, {"T-1", "Anna", "ACME", {"fire_shutter"}, {"FRA"}}}};
    registry.ImportTechnicians(techs, 0);
    std::vector<codec::RegistryFile<core::Device>::Row> devices = {{2, {"HH-1", "FRA", "ACME"}}};
    registry.ImportDevices(devices, 0);

    crypto::TagEmulator::Config tag;
    tag.base_url = "https://tag.fieldproof.example/t";
    crypto::HexDecodeInto(asset_.tag_uid, tag.uid);
    tag.meta_read_key = crypto::SiteMetaReadKey(kMaster, "FRA");
    tag.file_read_key = crypto::TagFileReadKey(kMaster, tag.uid);
    tag_ = std::make_unique<crypto::TagEmulator>(tag);
    config_.master_key = kMaster;
    config_.asset_types = {{"fire_shutter", 3 * kMinute, {"signage"}, 3000, 30000}};
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove(path_);
    std::filesystem::remove(path_.string() + "-wal");
    std::filesystem::remove(path_.string() + "-shm");
  }

  // A tag read now (the tag's counter moves on), sent and received when told.
  core::Tap MakeTap(const std::string& msg_id, core::TapKind kind, core::UnixMillis device_read_at,
                    core::UnixMillis device_sent_at) {
    core::Tap tap;
    tap.msg_id = msg_id;
    tap.device_id = "HH-1";
    tap.technician_id = "T-1";
    tap.site = "FRA";
    tap.tag = {core::TagRead::Type::kSun, *tag_->Read(rng_)};
    tap.read_at = device_read_at;
    tap.sent_at = device_sent_at;
    tap.kind = kind;
    tap.firmware = "hh-1";
    if (kind == core::TapKind::kEnd) {
      tap.checklist = {{"signage", core::ChecklistAnswer::kPass}};
      tap.result = core::InspectionResult::kPass;
    }
    return tap;
  }

  void Store(const core::Tap& tap, core::UnixMillis received_at) {
    store::EventStore events(*db_);
    std::vector<store::PendingEvent> batch = {
        {core::TapTopic("FRA", "HH-1"), "FRA", codec::EncodeTap(tap), received_at, tap}};
    events.WriteBatch(batch);
  }

  std::filesystem::path path_;
  std::unique_ptr<store::Database> db_;
  core::Asset asset_;
  std::unique_ptr<crypto::TagEmulator> tag_;
  std::mt19937_64 rng_{3};
  VerifierConfig config_;
};

TEST_F(TapVerifierTest, OfflineTapsWithASkewedClockAreVerifiedAtTheirTrueTimes) {
  const core::UnixMillis skew = 2 * kHour;  // The handheld's clock is two hours fast.
  const core::UnixMillis now = *core::ParseRfc3339("2026-11-20T12:00:00Z");
  // Read four hours ago while offline: sent (attempted) at once, delivered only now.
  const core::Tap old_start = MakeTap("old-1", core::TapKind::kStart, now - 4 * kHour + skew, now - 4 * kHour + skew);
  const core::Tap old_end = MakeTap("old-2", core::TapKind::kEnd, now - 4 * kHour + 5 * kMinute + skew,
                                    now - 4 * kHour + 5 * kMinute + skew);
  // Back online: a fresh inspection, delivered within 100 ms.
  const core::Tap new_start = MakeTap("new-1", core::TapKind::kStart, now - 10 * kMinute + skew, now - 10 * kMinute + skew);
  const core::Tap new_end = MakeTap("new-2", core::TapKind::kEnd, now - 5 * kMinute + skew, now - 5 * kMinute + skew);
  Store(new_start, now - 10 * kMinute + 100);
  Store(new_end, now - 5 * kMinute + 100);
  Store(old_start, now + 200);  // The outbox empties after the live taps.
  Store(old_end, now + 300);

  TapVerifier verifier(*db_, config_);
  const AssessReport report = verifier.AssessPending(100, now + kMinute);
  EXPECT_EQ(report.taps, 4u);
  ASSERT_EQ(report.notices.size(), 2u);

  auto evidence = db_->Prepare(
      "SELECT e.read_at, e.clock_offset_ms, e.freshness FROM tap_evidence e JOIN taps t "
      "ON t.id = e.tap_id WHERE t.msg_id = ?");
  for (const auto& [msg_id, true_time] :
       std::vector<std::pair<std::string, core::UnixMillis>>{{"new-1", now - 10 * kMinute},
                                                             {"old-1", now - 4 * kHour},
                                                             {"old-2", now - 4 * kHour + 5 * kMinute}}) {
    evidence.Bind(1, msg_id);
    ASSERT_TRUE(evidence.Step()) << msg_id;
    EXPECT_NEAR(static_cast<double>(evidence.Int(0)), static_cast<double>(true_time), 200) << msg_id;
    EXPECT_NEAR(static_cast<double>(evidence.Int(1)), static_cast<double>(-skew), 200) << msg_id;
    EXPECT_EQ(evidence.Text(2), "fresh") << msg_id;  // Lower counters, earlier times: no alarm.
    evidence.Reset();
  }
  auto inspections = db_->Prepare("SELECT verdict, started_at FROM inspections ORDER BY started_at");
  ASSERT_TRUE(inspections.Step());
  EXPECT_EQ(inspections.Text(0), "verified");
  EXPECT_NEAR(static_cast<double>(inspections.Int(1)), static_cast<double>(now - 4 * kHour), 200);
  ASSERT_TRUE(inspections.Step());
  EXPECT_EQ(inspections.Text(0), "verified");
}

TEST_F(TapVerifierTest, WithoutCorrectionTheSkewStaysInTheEvidence) {
  config_.correct_device_clocks = false;
  const core::UnixMillis now = *core::ParseRfc3339("2026-11-20T12:00:00Z");
  Store(MakeTap("s", core::TapKind::kStart, now + kHour, now + kHour), now);
  TapVerifier verifier(*db_, config_);
  verifier.AssessPending(10, now);
  EXPECT_EQ(db_->QueryInt("SELECT read_at FROM tap_evidence"), now + kHour);
  EXPECT_EQ(db_->QueryInt("SELECT clock_offset_ms FROM tap_evidence"), 0);
}

TEST_F(TapVerifierTest, AssessingIsResumableAndNeverDoubles) {
  const core::UnixMillis now = *core::ParseRfc3339("2026-11-20T12:00:00Z");
  Store(MakeTap("a", core::TapKind::kStart, now, now), now);
  Store(MakeTap("b", core::TapKind::kEnd, now + 4 * kMinute, now + 4 * kMinute), now + 4 * kMinute);
  {
    TapVerifier first(*db_, config_);
    EXPECT_EQ(first.AssessPending(1, now).taps, 1u);  // Stops after one, as after a crash.
  }
  TapVerifier second(*db_, config_);
  EXPECT_EQ(second.AssessPending(10, now).taps, 1u);
  EXPECT_EQ(second.AssessPending(10, now).taps, 0u);
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM inspections"), 1);
  EXPECT_EQ(db_->QueryInt("SELECT count(*) FROM maintenance_records"), 1);
}

// Every query the verifier makes for a tap is answered from an index without sorting, so a
// sensor with years of telemetry costs no more than a new one. (The sensor clock query
// once sorted the sensor's whole history for every inspection.)
TEST_F(TapVerifierTest, AnInspectionCostsTheSameWhateverTheSensorsHistory) {
  db_->Exec("UPDATE assets SET sensor_equipped = 1");
  const core::UnixMillis now = *core::ParseRfc3339("2026-11-20T12:00:00Z");
  constexpr int kHistory = 2000;
  std::vector<store::PendingEvent> history;
  for (int i = 0; i < kHistory; ++i) {
    core::Telemetry heartbeat{"hb-" + std::to_string(i), "A-1", "FRA", now - (kHistory - i) * kMinute,
                              std::nullopt, {core::HeartbeatReading{i * 60}}};
    history.push_back(store::testing::TelemetryEvent(heartbeat, heartbeat.device_time + 50));
  }
  store::EventStore(*db_).WriteBatch(history);
  Store(MakeTap("a", core::TapKind::kStart, now, now), now);
  Store(MakeTap("b", core::TapKind::kEnd, now + 4 * kMinute, now + 4 * kMinute), now + 4 * kMinute);

  TapVerifier verifier(*db_, config_);
  ASSERT_EQ(verifier.AssessPending(10, now + 5 * kMinute).taps, 2u);
  bool read_sensor_clock = false;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db_->handle(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(db_->handle(), s)) {
    const std::string sql = sqlite3_sql(s);
    read_sensor_clock |= sql.find("FROM sensor_clocks") != std::string::npos;
    EXPECT_EQ(sqlite3_stmt_status(s, SQLITE_STMTSTATUS_SORT, 0), 0) << sql;
    // Reading the history would take thousands of virtual machine steps.
    EXPECT_LT(sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 0), kHistory / 2) << sql;
  }
  EXPECT_TRUE(read_sensor_clock);
}

// A sensor's clock jumps an hour back. 50 messages later its close cycle during an inspection
// is found where it happened, not an hour earlier.
TEST_F(TapVerifierTest, ASensorsClockIsReadFromItsNewestMessages) {
  db_->Exec("UPDATE assets SET sensor_equipped = 1");
  const core::UnixMillis now = *core::ParseRfc3339("2026-11-20T12:00:00Z");
  std::vector<store::PendingEvent> sent;
  auto send = [&](core::UnixMillis true_time, core::UnixMillis clock_error, core::Reading reading) {
    core::Telemetry t{"m-" + std::to_string(sent.size()), "A-1", "FRA", true_time + clock_error,
                      std::nullopt, {reading}};
    sent.push_back(store::testing::TelemetryEvent(t, true_time + 50));
  };
  for (int i = 0; i < 100; ++i) send(now - (200 - i) * kMinute, 0, core::HeartbeatReading{i});
  for (int i = 0; i < 50; ++i) send(now - (100 - i) * kMinute, -kHour, core::HeartbeatReading{i});
  send(now + kMinute, -kHour, core::StateReading{core::ShutterState::kClosing});
  send(now + kMinute + 5000, -kHour, core::ClosingDurationReading{5000});
  store::EventStore(*db_).WriteBatch(sent);
  Store(MakeTap("a", core::TapKind::kStart, now, now), now);
  Store(MakeTap("b", core::TapKind::kEnd, now + 4 * kMinute, now + 4 * kMinute), now + 4 * kMinute);

  TapVerifier verifier(*db_, config_);
  ASSERT_EQ(verifier.AssessPending(10, now + 5 * kMinute).taps, 2u);
  auto check = db_->Prepare("SELECT status, detail FROM inspection_checks WHERE name = 'functional_test'");
  ASSERT_TRUE(check.Step());
  EXPECT_EQ(check.Text(0), "pass") << check.Text(1);
  EXPECT_EQ(check.Text(1), "closed in 5000 ms at 2026-11-20T12:01:05.050Z");
}

}  // namespace
}  // namespace fieldproof::verify
