// The alarm assessor on a real SQLite file: it keeps sensors' memory to itself and writes it
// back now and then, so a crash in between must neither forget a sensor's state (and raise a
// false alarm) nor raise an alarm or open a work order twice.
#include "gateway/verify/alarm_assessor.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "gateway/store/event_store.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/registry_store.hpp"
#include "tests/unit/store/store_test_util.hpp"

namespace fieldproof::verify {
namespace {

using core::kHour;
using core::kMinute;
using store::testing::MakeAsset;
using store::testing::MakeTelemetry;
using store::testing::TelemetryEvent;

class AlarmAssessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.emplace(dir_.File("alarms.db"));
    store::Migrate(*db_);
    std::vector<codec::RegistryFile<core::Asset>::Row> assets;
    for (std::size_t i = 1; i <= 3; ++i)
      assets.push_back(
          {i + 1, MakeAsset("A-" + std::to_string(i), "04A1B2C3D4E5F" + std::to_string(i))});
    store::RegistryStore(*db_).ImportAssets(assets, 0);
    policies_["fire_shutter"].max_closing_ms = 20000;
  }

  // Stores one message of the asset's sensor, `minutes` after the start.
  void Send(const std::string& asset, std::int64_t minutes, std::vector<core::Reading> readings) {
    core::Telemetry t = MakeTelemetry("m-" + std::to_string(++sent_), asset);
    t.device_time = kStart + minutes * kMinute;
    t.readings = std::move(readings);
    std::vector<store::PendingEvent> batch = {TelemetryEvent(t)};
    store::EventStore(*db_).WriteBatch(batch);
  }

  AlarmAssessor Start() { return AlarmAssessor(*db_, policies_); }

  std::int64_t Count(const std::string& sql) { return db_->QueryInt(sql); }

  static constexpr core::UnixMillis kStart = 1'795'000'000'000;
  store::testing::TempDir dir_;
  std::optional<store::Database> db_;
  std::map<std::string, core::AlarmPolicy> policies_;
  int sent_ = 0;
};

TEST_F(AlarmAssessorTest, AStartAfterACrashRecallsTheStateItHadNotWrittenBack) {
  {
    AlarmAssessor before_crash = Start();
    Send("A-1", 0, {core::StateReading{core::ShutterState::kClosing}});
    before_crash.AssessPending(1000, kStart);
    before_crash.SaveMemory();
    Send("A-1", 1, {core::StateReading{core::ShutterState::kClosed}});
    EXPECT_EQ(before_crash.AssessPending(1000, kStart).readings, 1);
  }  // Gone without writing back: the memory on disk still says "closing".
  AlarmAssessor after = Start();
  EXPECT_EQ(after.replayed(), 1);
  Send("A-1", 60, {core::StateReading{core::ShutterState::kOpen}});
  after.AssessPending(1000, kStart);
  EXPECT_EQ(Count("SELECT count(*) FROM alarms"), 0)
      << "closed, then opened: no closure was left unfinished";

  after.SaveMemory();
  EXPECT_EQ(
      Count("SELECT count(*) FROM sensor_memory WHERE asset_id = 'A-1' AND last_state = 'open'"),
      1);
  EXPECT_EQ(Start().replayed(), 0) << "written back as of the cursor";
}

TEST_F(AlarmAssessorTest, AnAlarmAndItsWorkOrderAreWrittenOnceWhateverTheRestarts) {
  {
    AlarmAssessor first = Start();
    Send("A-2", 0, {core::ClosingDurationReading{45000}, core::BatteryReading{15}});
    const AlarmReport report = first.AssessPending(1000, kStart);
    EXPECT_EQ(report.raised, 2);
  }
  for (int restart = 0; restart < 2; ++restart) {
    AlarmAssessor again = Start();
    Send("A-2", 10 + restart, {core::ClosingDurationReading{46000}, core::BatteryReading{14}});
    EXPECT_EQ(again.AssessPending(1000, kStart).raised, 0);
  }
  EXPECT_EQ(
      Count("SELECT count(*) FROM alarms WHERE asset_id = 'A-2' AND kind = 'closing_out_of_range'"),
      1);
  EXPECT_EQ(Count("SELECT count(*) FROM alarms WHERE asset_id = 'A-2' AND kind = 'battery_low'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM work_orders WHERE asset_id = 'A-2'"), 1);
  EXPECT_EQ(Count("SELECT sum(closings) FROM closing_days WHERE asset_id = 'A-2'"), 3)
      << "each closing counted once";
}

TEST_F(AlarmAssessorTest, ASilentSensorIsJudgedOnTheSiteClockFromMemoryAcrossARestart) {
  AlarmAssessor assessor = Start();
  for (const char* asset : {"A-1", "A-2", "A-3"}) Send(asset, 0, {core::BatteryReading{90}});
  assessor.AssessPending(1000, kStart);
  for (std::int64_t minute = 30; minute <= 150; minute += 30) {
    Send("A-1", minute, {core::BatteryReading{90}});
    Send("A-2", minute, {core::BatteryReading{90}});
  }
  assessor.AssessPending(1000, kStart);
  EXPECT_EQ(Count("SELECT count(*) FROM alarms WHERE kind = 'sensor_silent' AND asset_id = 'A-3'"),
            1)
      << "A-3 quiet for 2.5 h while the others report";
  EXPECT_EQ(Count("SELECT count(*) FROM alarms WHERE kind = 'sensor_silent'"), 1);

  AlarmAssessor restarted = Start();  // Nothing written back: the memory comes from the replay.
  Send("A-1", 180, {core::BatteryReading{90}});
  restarted.AssessPending(1000, kStart);
  EXPECT_EQ(Count("SELECT count(*) FROM alarms WHERE kind = 'sensor_silent'"), 1) << "raised once";
  Send("A-3", 181, {core::BatteryReading{90}});
  restarted.AssessPending(1000, kStart);
  EXPECT_EQ(Count("SELECT count(*) FROM alarms WHERE kind = 'sensor_silent' AND status = 'closed'"),
            1)
      << "cleared by its next message";
}

}  // namespace
}  // namespace fieldproof::verify
