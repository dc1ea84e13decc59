// A handheld's clock offset: the lower envelope of received_at - sent_at.
#include "gateway/core/clock_skew.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace fieldproof::core {
namespace {

constexpr UnixMillis kSecond = 1000;
constexpr UnixMillis kMinute = 60 * kSecond;
constexpr UnixMillis kHour = 60 * kMinute;
constexpr UnixMillis kDay = 24 * kHour;

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
  EXPECT_EQ(EstimateClockOffset(c.samples), c.expected);
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
  const UnixMillis offset = EstimateClockOffset(samples);
  EXPECT_EQ(offset, -kDeviceAhead + 35);
  const UnixMillis device_read_at = kT0 + 10 * kMinute + kDeviceAhead;
  EXPECT_EQ(CorrectDeviceTime(device_read_at, offset), kT0 + 10 * kMinute + 35);
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
