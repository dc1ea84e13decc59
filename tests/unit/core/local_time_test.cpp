#include "gateway/core/local_time.hpp"

#include <gtest/gtest.h>

namespace fieldproof::core {
namespace {

const TimeZoneRule kBerlin{60, true};

UnixMillis At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

TEST(LocalTime, EuSummerTimeSwitchesAtOneUtcOnLastSundays) {
  // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
  EXPECT_EQ(OffsetMinutesAt(At("2026-03-29T00:59:59Z"), kBerlin), 60);
  EXPECT_EQ(OffsetMinutesAt(At("2026-03-29T01:00:00Z"), kBerlin), 120);
  EXPECT_EQ(OffsetMinutesAt(At("2026-10-25T00:59:59Z"), kBerlin), 120);
  EXPECT_EQ(OffsetMinutesAt(At("2026-10-25T01:00:00Z"), kBerlin), 60);
  EXPECT_EQ(OffsetMinutesAt(At("2026-07-01T12:00:00Z"), TimeZoneRule{60, false}), 60);
}

TEST(LocalTime, LocalDayHourAndWeekday) {
  const LocalDateTime t = ToLocal(At("2026-11-28T23:30:00Z"), kBerlin);  // Sun 00:30 local
  EXPECT_EQ(t.year, 2026);
  EXPECT_EQ(t.month, 11);
  EXPECT_EQ(t.day, 29);
  EXPECT_EQ(t.hour, 0);
  EXPECT_EQ(t.minute, 30);
  EXPECT_EQ(t.weekday, 0);
  EXPECT_EQ(LocalDate(At("2026-11-28T23:30:00Z"), kBerlin), "2026-11-29");
  EXPECT_EQ(LocalDate(At("2026-11-28T23:30:00Z"), {}), "2026-11-28");
}

TEST(LocalTime, PeriodBoundsAreLocalMidnights) {
  const Period nov{2026, 11};
  EXPECT_EQ(PeriodStart(nov, kBerlin), At("2026-10-31T23:00:00Z"));
  EXPECT_EQ(PeriodEnd(nov, kBerlin), At("2026-11-30T23:00:00Z"));
  // April starts in summer time.
  EXPECT_EQ(PeriodStart({2026, 4}, kBerlin), At("2026-03-31T22:00:00Z"));
  EXPECT_EQ(PeriodOf(At("2026-11-30T23:30:00Z"), kBerlin), (Period{2026, 12}));
}

TEST(LocalTime, PeriodsParseAndStep) {
  EXPECT_EQ(ParsePeriod("2026-11"), (Period{2026, 11}));
  EXPECT_EQ(ParsePeriod("2026-13"), std::nullopt);
  EXPECT_EQ(ParsePeriod("2026-1"), std::nullopt);
  EXPECT_EQ(ParsePeriod("2026-11-01"), std::nullopt);
  EXPECT_EQ(NextPeriod({2026, 12}), (Period{2027, 1}));
  EXPECT_EQ(PreviousPeriod({2027, 1}), (Period{2026, 12}));
  EXPECT_EQ(LastDay({2028, 2}), "2028-02-29");
  EXPECT_EQ(FirstDay({2026, 2}), "2026-02-01");
  EXPECT_EQ(AddDays("2026-12-15", 30), "2027-01-14");
  EXPECT_FALSE(IsDate("2026-02-30"));
  EXPECT_EQ(EndOfDayUtc("2026-11-30"), At("2026-12-01T00:00:00Z") - 1);
  EXPECT_EQ(EndOfDayUtc("2026-11-31"), std::nullopt);
}

}  // namespace
}  // namespace fieldproof::core
