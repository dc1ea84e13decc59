// Are a tap's times possible: read before sent, not in the future, not delivered long
// after, not withheld by a handheld that was online.
#include "gateway/core/tap_timing.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace fieldproof::core {
namespace {

constexpr UnixMillis kT0 = 20780 * kDay + 10 * kHour;  // 2026-11-23T10:00:00Z, gateway clock.
constexpr UnixMillis kAhead = 42 * kSecond;            // The handheld's clock is 42 s fast.
const ClockEstimate kClock{-kAhead + 300, true, 10};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The handheld delivered a message on time every ten minutes until `until`.
std::vector<ClockSample> Online(UnixMillis from, UnixMillis until) {
  std::vector<ClockSample> samples;
  for (UnixMillis t = from; t <= until; t += 10 * kMinute) samples.push_back({t + kAhead, t + 300});
  return samples;
}

TEST(TapTimingTest, AnOnTimeTapIsPlausible) {
  const TapTimes tap{kT0 + kAhead, kT0 + kAhead + 200, kT0 + 500};
  auto samples = Online(kT0 - kHour, kT0 - 10 * kMinute);
  samples.push_back({tap.sent_at, tap.received_at});
  const TimingFinding f = CheckTapTiming(tap, samples, kClock, {});
  EXPECT_EQ(f.outcome, Timing::kPlausible) << f.detail;
  EXPECT_TRUE(Contains(f.detail, "arrived 0 s after it was read")) << f.detail;
}

TEST(TapTimingTest, ATapReadAfterItWasSentIsImpossible) {
  const TapTimes tap{kT0 + 2 * kHour, kT0, kT0 + 500};
  const TimingFinding f = CheckTapTiming(tap, {}, kClock, {});
  EXPECT_EQ(f.outcome, Timing::kImpossible);
  EXPECT_TRUE(Contains(f.detail, "read 2 h after it was sent")) << f.detail;
  EXPECT_EQ(CheckTapTiming(tap, {}, std::nullopt, {}).outcome, Timing::kImpossible)
      << "the device's own order needs no clock";
}

TEST(TapTimingTest, ATapReadInTheFutureIsSuspect) {
  const TapTimes tap{kT0 + kAhead + 3 * kDay, kT0 + kAhead + 3 * kDay + 200, kT0 + 500};
  const TimingFinding f = CheckTapTiming(tap, {}, kClock, {});
  EXPECT_EQ(f.outcome, Timing::kSuspect);
  EXPECT_TRUE(Contains(f.detail, "read 3 d after it arrived")) << f.detail;
  const TapTimes within{kT0 + kAhead + kMinute, kT0 + kAhead + kMinute, kT0};
  EXPECT_EQ(CheckTapTiming(within, {}, kClock, {}).outcome, Timing::kPlausible)
      << "a minute is residual clock error";
}

TEST(TapTimingTest, ATapDeliveredWeeksAfterItWasReadIsSuspect) {
  const TapTimes tap{kT0 - 21 * kDay + kAhead, kT0 - 21 * kDay + kAhead + 200, kT0};
  const TimingFinding f = CheckTapTiming(tap, {}, kClock, {});
  EXPECT_EQ(f.outcome, Timing::kSuspect);
  EXPECT_TRUE(Contains(f.detail, "arrived 21 d after it was read; an outbox holds taps at most 3 d"))
      << f.detail;
  TimingPolicy patient;
  patient.max_delivery_delay = 30 * kDay;
  EXPECT_EQ(CheckTapTiming(tap, {}, kClock, patient).outcome, Timing::kPlausible);
}

// Read at 08:00 but sent only at 12:00, although the handheld delivered messages on time
// from 09:00 on: it was not waiting in an outbox.
TEST(TapTimingTest, ATapWithheldWhileTheHandheldWasOnlineIsSuspect) {
  const TapTimes tap{kT0 - 2 * kHour + kAhead, kT0 - 2 * kHour + kAhead + 200, kT0 + 2 * kHour};
  auto samples = Online(kT0 - kHour, kT0 + 2 * kHour - 5 * kMinute);
  samples.push_back({tap.sent_at, tap.received_at});
  const TimingFinding f = CheckTapTiming(tap, samples, kClock, {});
  EXPECT_EQ(f.outcome, Timing::kSuspect) << f.detail;
  EXPECT_TRUE(Contains(f.detail, "delivered a later message on time at 2026-11-23T09:00:00.300Z"))
      << f.detail;
}

// Offline from 08:00 to 11:55: the outbox empties as the handheld comes back, newest first.
TEST(TapTimingTest, ATapFromAnOutboxThatEmptiesOnReconnectIsPlausible) {
  const TapTimes tap{kT0 - 2 * kHour + kAhead, kT0 - 2 * kHour + kAhead + 200, kT0 + 2 * kHour};
  auto samples = Online(kT0 - 3 * kHour, kT0 - 2 * kHour - 10 * kMinute);
  samples.push_back({kT0 + 2 * kHour - 2 * kMinute + kAhead, kT0 + 2 * kHour - 2 * kMinute + 300});
  samples.push_back({tap.sent_at, tap.received_at});
  const TimingFinding f = CheckTapTiming(tap, samples, kClock, {});
  EXPECT_EQ(f.outcome, Timing::kPlausible) << f.detail;
  EXPECT_TRUE(Contains(f.detail, "arrived 4 h after it was read")) << f.detail;
}

TEST(TapTimingTest, WithoutAClockOnlyTheDevicesOwnOrderIsChecked) {
  const TapTimes tap{kT0 - 21 * kDay, kT0 - 21 * kDay + 200, kT0};
  EXPECT_EQ(CheckTapTiming(tap, {}, std::nullopt, {}).outcome, Timing::kPlausible);
}

TEST(TapTimingTest, OutcomesHaveStableNames) {
  for (Timing t : {Timing::kPlausible, Timing::kSuspect, Timing::kImpossible}) {
    EXPECT_EQ(ParseTiming(ToString(t)), t);
  }
  EXPECT_EQ(ToString(Timing::kSuspect), "suspect");
  EXPECT_FALSE(ParseTiming("late").has_value());
}

}  // namespace
}  // namespace fieldproof::core
