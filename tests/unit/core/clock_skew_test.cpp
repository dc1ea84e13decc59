// A handheld's clock offset: the lower envelope of received_at - sent_at.
#include "gateway/core/clock_skew.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace fieldproof::core {
namespace {


// 2026-11-23T10:00:00Z (gateway clock).
constexpr UnixMillis kT0 = 20780 * kDay + 10 * kHour;

struct OffsetCase {
  std::string name;
  std::vector<ClockSample> samples;
  UnixMillis expected;
};

void PrintTo(const OffsetCase& c, std::ostream* os) { *os << c.name; }

class EstimateClockOffsetTest : public ::testing::TestWithParam<OffsetCase> {};

TEST_P(EstimateClockOffsetTest, TakesTheLowerEnvelope) {
  const OffsetCase& c = GetParam();
  EXPECT_EQ(EstimateClockOffset(c.samples).offset, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Samples, EstimateClockOffsetTest,
    ::testing::Values(
        OffsetCase{"NoSamples", {}, 0},
        OffsetCase{"OneSample", {{kT0, kT0 + 250}}, 250},
        OffsetCase{"OneSampleNoDelay", {{kT0, kT0}}, 0},
        // Device clock 3 s behind; delivery delays 120, 80, 400 ms.
        OffsetCase{"SmallestDelayWins",
                   {{kT0, kT0 + 3120}, {kT0 + kMinute, kT0 + kMinute + 3080},
                    {kT0 + 2 * kMinute, kT0 + 2 * kMinute + 3400}},
                   3080},
        // A tap sent at 10:05 waited two hours in an offline outbox: ignored by the minimum.
        OffsetCase{"OfflineBufferedOutlierIgnored",
                   {{kT0, kT0 + 3100},
                    {kT0 + 5 * kMinute, kT0 + 2 * kHour + 5 * kMinute + 3000},
                    {kT0 + 10 * kMinute, kT0 + 10 * kMinute + 3090}},
                   3090},
        OffsetCase{"OfflineBufferedOutlierFirst",
                   {{kT0, kT0 + 6 * kHour}, {kT0 + kMinute, kT0 + kMinute + 500}},
                   500},
        // Device clock 5 s ahead of the gateway: the offset is negative.
        OffsetCase{"DeviceClockAheadNegativeOffset",
                   {{kT0 + 5000, kT0 + 150}, {kT0 + kMinute + 5000, kT0 + kMinute + 90},
                    {kT0 + 2 * kMinute + 5000, kT0 + 2 * kMinute + 300}},
                   -4910},
        OffsetCase{"DeviceClockFarAheadOneSample", {{kT0 + kDay, kT0}}, -kDay}),
    [](const ::testing::TestParamInfo<OffsetCase>& info) { return info.param.name; });

struct CorrectionCase {
  std::string name;
  UnixMillis device_time;
  UnixMillis offset;
  UnixMillis expected;
};

void PrintTo(const CorrectionCase& c, std::ostream* os) { *os << c.name; }

class ClockCorrectionTest : public ::testing::TestWithParam<CorrectionCase> {};

TEST_P(ClockCorrectionTest, AddsTheOffset) {
  const CorrectionCase& c = GetParam();
  EXPECT_EQ(CorrectDeviceTime(c.device_time, c.offset), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Offsets, ClockCorrectionTest,
    ::testing::Values(CorrectionCase{"ZeroOffset", kT0, 0, kT0},
                      CorrectionCase{"DeviceBehind", kT0, 3080, kT0 + 3080},
                      CorrectionCase{"DeviceAhead", kT0, -4910, kT0 - 4910},
                      CorrectionCase{"DeviceADayAhead", kT0 + kDay, -kDay, kT0}),
    [](const ::testing::TestParamInfo<CorrectionCase>& info) { return info.param.name; });

// Estimate then correct: a read the device stamped with its fast clock lands on gateway time
// within the smallest delivery delay.
TEST(ClockSkewTest, CorrectedReadTimeLandsOnGatewayTime) {
  constexpr UnixMillis kDeviceAhead = 42 * kSecond;
  const std::vector<ClockSample> samples = {
      {kT0 + kDeviceAhead, kT0 + 70},
      {kT0 + kMinute + kDeviceAhead, kT0 + kMinute + 35},
      {kT0 + 2 * kMinute + kDeviceAhead, kT0 + 3 * kHour},  // Offline outbox.
  };
  const UnixMillis offset = EstimateClockOffset(samples).offset;
  EXPECT_EQ(offset, -kDeviceAhead + 35);
  const UnixMillis device_read_at = kT0 + 10 * kMinute + kDeviceAhead;
  EXPECT_EQ(CorrectDeviceTime(device_read_at, offset), kT0 + 10 * kMinute + 35);
}

// On-time messages every ten minutes, 400 ms late, from a device 42 s fast: the history
// a handheld builds in a working day.
std::vector<ClockSample> OnTime(int n, UnixMillis from, UnixMillis device_ahead = 42 * kSecond) {
  std::vector<ClockSample> samples;
  for (int i = 0; i < n; ++i) {
    const UnixMillis sent = from + i * 10 * kMinute;
    samples.push_back({sent + device_ahead, sent + 400 + (i % 3) * 100});
  }
  return samples;
}

TEST(ClockFilterTest, OneMessageStampedInTheFutureDoesNotMoveAConfirmedClock) {
  std::vector<ClockSample> samples = OnTime(10, kT0);
  samples.push_back({kT0 + 100 * kMinute + 3 * kDay, kT0 + 100 * kMinute + 300});  // A glitch.
  const ClockEstimate glitch = EstimateClockOffset(samples);
  EXPECT_EQ(glitch.offset, -42 * kSecond + 400);
  EXPECT_TRUE(glitch.confirmed);
  samples.push_back({kT0 + 110 * kMinute + 42 * kSecond, kT0 + 110 * kMinute + 450});
  EXPECT_EQ(EstimateClockOffset(samples).offset, -42 * kSecond + 400) << "nor the ones after it";
}

TEST(ClockFilterTest, AClockSetBackIsFollowedOnceTwoMessagesAgree) {
  std::vector<ClockSample> samples = OnTime(10, kT0, 2 * kHour);  // Two hours fast...
  const UnixMillis after = kT0 + 100 * kMinute;
  samples.push_back({after, after + 500});  // ...then set right.
  EXPECT_EQ(EstimateClockOffset(samples).offset, -2 * kHour + 400) << "one message proves nothing";
  samples.push_back({after + 5 * kMinute, after + 5 * kMinute + 450});
  const ClockEstimate set_back = EstimateClockOffset(samples);
  EXPECT_EQ(set_back.offset, 450);
  EXPECT_EQ(set_back.regime_samples, 2);
}

TEST(ClockFilterTest, AClockSetForwardIsFollowedOnceTwoMessagesAgree) {
  std::vector<ClockSample> samples = OnTime(10, kT0, -2 * kHour);  // Two hours slow...
  const UnixMillis after = kT0 + 100 * kMinute;
  samples.push_back({after, after + 500});  // ...then set right.
  EXPECT_EQ(EstimateClockOffset(samples).offset, 2 * kHour + 400) << "a lone low value is an outlier";
  samples.push_back({after + 5 * kMinute, after + 5 * kMinute + 450});
  EXPECT_EQ(EstimateClockOffset(samples).offset, 450);
}

// Read offline over four hours, each sent (first attempted) at once, all delivered together.
std::vector<ClockSample> OutboxFlush(UnixMillis read_from, UnixMillis delivered_at) {
  std::vector<ClockSample> samples;
  for (int i = 0; i < 24; ++i) {
    samples.push_back({read_from + i * 10 * kMinute, delivered_at + i * 20});
  }
  return samples;
}

TEST(ClockFilterTest, AnOutboxFlushAfterAConfirmedClockLeavesIt) {
  std::vector<ClockSample> samples = OnTime(10, kT0, 0);
  const auto flush = OutboxFlush(kT0 + 2 * kHour, kT0 + 6 * kHour + 10 * kMinute);
  samples.insert(samples.end(), flush.begin(), flush.end());
  EXPECT_EQ(EstimateClockOffset(samples).offset, 400);
}

TEST(ClockFilterTest, AnOutboxFlushWithNoHistoryFallsBackToTheMinimum) {
  const auto flush = OutboxFlush(kT0, kT0 + 4 * kHour);
  const ClockEstimate estimate = EstimateClockOffset(flush);
  EXPECT_FALSE(estimate.confirmed);
  EXPECT_EQ(estimate.offset, 4 * kHour + 23 * 20 - 23 * 10 * kMinute);
}

// A sensor's windows: the minimum of the current one, which becomes the previous one once
// full.
TEST(SensorClockWindowsTest, AFullWindowBecomesThePreviousOne) {
  std::optional<SensorClockWindows> w;
  for (UnixMillis delay : {500, 300, 400}) w = ObserveSensorDelay(w, delay, 3);
  EXPECT_EQ(*w, (SensorClockWindows{300, 3, std::nullopt}));
  w = ObserveSensorDelay(w, 900, 3);  // The window was full: a new one starts.
  EXPECT_EQ(*w, (SensorClockWindows{900, 1, 300}));
  w = ObserveSensorDelay(w, 200, 3);
  EXPECT_EQ(*w, (SensorClockWindows{200, 2, 300}));
  w = ObserveSensorDelay(w, 700, 3);
  w = ObserveSensorDelay(w, 800, 3);  // 300 is two windows old now.
  EXPECT_EQ(*w, (SensorClockWindows{800, 1, 200}));
}

TEST(SensorClockWindowsTest, TheFirstMessageStartsTheFirstWindow) {
  EXPECT_EQ(ObserveSensorDelay(std::nullopt, -40, 25), (SensorClockWindows{-40, 1, std::nullopt}));
}

}  // namespace
}  // namespace fieldproof::core
