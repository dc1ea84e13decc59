// Alarms from telemetry: each rule raises once with the readings it rests on and clears on a
// reading that shows the asset well again; silence is judged on the site's sensor clock.
#include "gateway/core/alarm.hpp"

#include <gtest/gtest.h>

namespace fieldproof::core {
namespace {

const UnixMillis kT0 = *ParseRfc3339("2026-11-02T06:00:00Z");

AlarmPolicy Shutter() {
  AlarmPolicy p;
  p.min_closing_ms = 3000;
  p.max_closing_ms = 30000;
  return p;
}

Telemetry Message(const std::string& id, UnixMillis at, std::vector<Reading> readings) {
  return {id, "FRA-1", "FRA", at, std::nullopt, std::move(readings)};
}

bool IsOpen(const OpenAlarms& open, AlarmKind kind) { return open[static_cast<std::size_t>(kind)]; }

TEST(AlarmTest, ALowBatteryIsRaisedOnceAndClearedByANewOne) {
  SensorMemory memory;
  OpenAlarms open{};
  const AlarmPolicy p = Shutter();
  auto low = AssessTelemetry(p, Message("m1", kT0, {BatteryReading{12}}), memory, open);
  ASSERT_EQ(low.size(), 1u);
  EXPECT_EQ(low[0].kind, AlarmKind::kBatteryLow);
  EXPECT_TRUE(low[0].raise);
  EXPECT_EQ(low[0].at, kT0);
  EXPECT_EQ(low[0].evidence, (std::vector<AlarmEvidence>{{"m1", kT0, "battery 12 %"}}));
  EXPECT_NE(low[0].detail.find("below 20 %"), std::string::npos) << low[0].detail;
  EXPECT_TRUE(IsOpen(open, AlarmKind::kBatteryLow));
  EXPECT_TRUE(AssessTelemetry(p, Message("m2", kT0 + kHour, {BatteryReading{11}}), memory, open).empty())
      << "raised once";
  EXPECT_TRUE(AssessTelemetry(p, Message("m3", kT0 + 2 * kHour, {BatteryReading{25}}), memory, open).empty())
      << "not cleared between the thresholds";
  auto cleared = AssessTelemetry(p, Message("m4", kT0 + 3 * kHour, {BatteryReading{98}}), memory, open);
  ASSERT_EQ(cleared.size(), 1u);
  EXPECT_FALSE(cleared[0].raise);
  EXPECT_FALSE(IsOpen(open, AlarmKind::kBatteryLow));
}

TEST(AlarmTest, AClosingTimeOutsideTheTypesRangeIsRaisedAndClearedWhenBackInIt) {
  SensorMemory memory;
  OpenAlarms open{};
  const AlarmPolicy p = Shutter();
  EXPECT_TRUE(AssessTelemetry(p, Message("ok", kT0, {ClosingDurationReading{12000}}), memory, open).empty());
  auto slow = AssessTelemetry(p, Message("slow", kT0 + kDay, {ClosingDurationReading{45000}}), memory, open);
  ASSERT_EQ(slow.size(), 1u);
  EXPECT_EQ(slow[0].kind, AlarmKind::kClosingOutOfRange);
  EXPECT_NE(slow[0].detail.find("45000 ms, outside the plausible 3000–30000 ms"), std::string::npos) << slow[0].detail;
  auto fast = AssessTelemetry(p, Message("fast", kT0 + 2 * kDay, {ClosingDurationReading{1000}}), memory, open);
  EXPECT_TRUE(fast.empty()) << "still out of range: still the one alarm";
  auto back = AssessTelemetry(p, Message("back", kT0 + 3 * kDay, {ClosingDurationReading{9000}}), memory, open);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_FALSE(back[0].raise);
  AlarmPolicy no_range;
  EXPECT_TRUE(AssessTelemetry(no_range, Message("x", kT0, {ClosingDurationReading{999999}}), memory, open).empty());
}

TEST(AlarmTest, AClosureThatNeverReachesClosedIsRaisedWithBothStates) {
  SensorMemory memory;
  OpenAlarms open{};
  const AlarmPolicy p = Shutter();
  AssessTelemetry(p, Message("c1", kT0, {StateReading{ShutterState::kClosing}}), memory, open);
  auto stuck = AssessTelemetry(p, Message("o1", kT0 + kMinute, {StateReading{ShutterState::kOpening}}), memory, open);
  ASSERT_EQ(stuck.size(), 1u);
  EXPECT_EQ(stuck[0].kind, AlarmKind::kClosingIncomplete);
  EXPECT_EQ(stuck[0].evidence, (std::vector<AlarmEvidence>{{"c1", kT0, "state closing"},
                                                           {"o1", kT0 + kMinute, "state opening"}}));
  // A late message from before does not drive the cycle.
  EXPECT_TRUE(AssessTelemetry(p, Message("late", kT0 - kHour, {StateReading{ShutterState::kClosing}}), memory, open).empty());
  EXPECT_EQ(memory.last_state, ShutterState::kOpening);
  AssessTelemetry(p, Message("c2", kT0 + kDay, {StateReading{ShutterState::kClosing}}), memory, open);
  auto closed = AssessTelemetry(p, Message("d2", kT0 + kDay + 9000, {StateReading{ShutterState::kClosed}}), memory, open);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_FALSE(closed[0].raise);
  EXPECT_FALSE(IsOpen(open, AlarmKind::kClosingIncomplete));
}

TEST(AlarmTest, SilenceIsJudgedOnTheSitesSensorClockAndClearedByAnyMessage) {
  const AlarmPolicy p = Shutter();  // Heartbeat: 2 h.
  EXPECT_FALSE(AssessSilence(p, kT0, kT0 + 2 * kHour, false)) << "exactly a heartbeat";
  EXPECT_FALSE(AssessSilence(p, 0, kT0 + 9 * kHour, false)) << "never heard: nothing to miss";
  const auto silent = AssessSilence(p, kT0, kT0 + 5 * kHour, false);
  ASSERT_TRUE(silent);
  EXPECT_EQ(silent->kind, AlarmKind::kSensorSilent);
  EXPECT_NE(silent->detail.find("silent for 5.0 h"), std::string::npos) << silent->detail;
  EXPECT_EQ(silent->evidence.size(), 2u);
  EXPECT_FALSE(AssessSilence(p, kT0, kT0 + 5 * kHour, true)) << "raised once";

  SensorMemory memory{kT0, std::nullopt, 0, ""};
  OpenAlarms open{};
  open[static_cast<std::size_t>(AlarmKind::kSensorSilent)] = true;
  auto back = AssessTelemetry(p, Message("hb", kT0 + 6 * kHour, {HeartbeatReading{100}}), memory, open);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_FALSE(back[0].raise);
  EXPECT_NE(back[0].detail.find("after 6.0 h"), std::string::npos) << back[0].detail;
  EXPECT_EQ(memory.last_seen, kT0 + 6 * kHour);
}

TEST(AlarmTest, TheSiteClockIsTheMedianSensorsSoOneRunningAheadCannotSilenceTheRest) {
  EXPECT_EQ(SiteClock({}), 0);
  EXPECT_EQ(SiteClock({5 * kHour}), 5 * kHour);
  EXPECT_EQ(SiteClock({1 * kHour, 100 * kHour, 2 * kHour}), 2 * kHour) << "one clock a few days ahead";
  EXPECT_EQ(SiteClock({3 * kHour, 1 * kHour, 2 * kHour, 4 * kHour}), 3 * kHour);
}

TEST(AlarmTest, DriftComparesTheRecentWeekWithTheWeeksBefore) {
  const AlarmPolicy p = Shutter();  // 25 %, at least 3 closings each.
  const ClosingWindow baseline{20, 10000, kT0, kT0 + 28 * kDay};
  EXPECT_FALSE(AssessDrift(p, baseline, {2, 20000, kT0, kT0}, false)) << "too few recent closings";
  EXPECT_FALSE(AssessDrift(p, baseline, {5, 12000, kT0, kT0}, false)) << "+20 %";
  const auto drift = AssessDrift(p, baseline, {5, 13000, kT0 + 29 * kDay, kT0 + 35 * kDay}, false);
  ASSERT_TRUE(drift);
  EXPECT_TRUE(drift->raise);
  EXPECT_NE(drift->detail.find("+30 %"), std::string::npos) << drift->detail;
  EXPECT_EQ(drift->evidence.size(), 2u);
  EXPECT_FALSE(AssessDrift(p, baseline, {5, 12200, kT0, kT0}, true)) << "+22 %: not yet settled";
  const auto settled = AssessDrift(p, baseline, {5, 11000, kT0, kT0}, true);
  ASSERT_TRUE(settled);
  EXPECT_FALSE(settled->raise);
  EXPECT_TRUE(AssessDrift(p, baseline, {5, 7000, kT0, kT0}, false)) << "faster counts too: -30 %";
}

TEST(AlarmTest, PeopleAcknowledgeOnceAndCloseWithAReason) {
  AlarmRecord alarm;
  alarm.id = 7;
  EXPECT_FALSE(RefuseAlarmAction(alarm, false, ""));
  EXPECT_EQ(RefuseAlarmAction(alarm, true, "  ")->kind, RefusalKind::kInvalid);
  EXPECT_FALSE(RefuseAlarmAction(alarm, true, "battery replaced"));
  alarm.status = AlarmStatus::kAcknowledged;
  alarm.acknowledged_by = "sup";
  EXPECT_EQ(RefuseAlarmAction(alarm, false, "")->kind, RefusalKind::kConflict);
  EXPECT_FALSE(RefuseAlarmAction(alarm, true, "fixed"));
  alarm.status = AlarmStatus::kClosed;
  EXPECT_EQ(RefuseAlarmAction(alarm, true, "again")->kind, RefusalKind::kConflict);
  EXPECT_EQ(AlarmKindFromString("closing_drift"), AlarmKind::kClosingDrift);
  EXPECT_FALSE(AlarmKindFromString("fire"));
  EXPECT_TRUE(Shutter().OpensWorkOrder(AlarmKind::kClosingIncomplete));
  EXPECT_FALSE(Shutter().OpensWorkOrder(AlarmKind::kBatteryLow));
}

}  // namespace
}  // namespace fieldproof::core
