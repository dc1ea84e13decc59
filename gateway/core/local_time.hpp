#pragma once
// Local civil time for billing: a contract's month, its night hours and weekends are the
// customer's local time, not UTC. A zone is a fixed standard offset, optionally with the
// EU summer-time rule (last Sunday of March to last Sunday of October, 01:00 UTC), which
// covers every EU site without a time-zone database.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

struct TimeZoneRule {
  int utc_offset_minutes = 0;  // Standard (winter) time.
  bool eu_summer_time = false;
};

struct LocalDateTime {
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0;
  int weekday = 0;  // 0 = Sunday ... 6 = Saturday.
};

int OffsetMinutesAt(UnixMillis t, const TimeZoneRule& zone);
LocalDateTime ToLocal(UnixMillis t, const TimeZoneRule& zone);

// "YYYY-MM-DD" of the local calendar day.
std::string LocalDate(UnixMillis t, const TimeZoneRule& zone);

// A calendar date "YYYY-MM-DD" plus `days`.
std::string AddDays(std::string_view date, int days);
bool IsDate(std::string_view text);  // A valid calendar date "YYYY-MM-DD".
// The last millisecond of a UTC calendar day "YYYY-MM-DD" ("as of" that day); nullopt
// when it is not a date.
std::optional<UnixMillis> EndOfDayUtc(std::string_view date);

// A billing month.
struct Period {
  int year = 0;
  int month = 0;  // 1..12
  auto operator<=>(const Period&) const = default;
};
std::optional<Period> ParsePeriod(std::string_view text);  // "YYYY-MM"
std::string ToString(const Period& period);
Period NextPeriod(const Period& period);
Period PreviousPeriod(const Period& period);
std::string FirstDay(const Period& period);  // "YYYY-MM-01"
std::string LastDay(const Period& period);   // "YYYY-MM-30" etc.
// The period's bounds as UTC instants: [start, end), local midnight to local midnight.
UnixMillis PeriodStart(const Period& period, const TimeZoneRule& zone);
UnixMillis PeriodEnd(const Period& period, const TimeZoneRule& zone);
// The local month that contains `t`.
Period PeriodOf(UnixMillis t, const TimeZoneRule& zone);

}  // namespace fieldproof::core
