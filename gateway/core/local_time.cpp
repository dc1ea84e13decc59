#include "gateway/core/local_time.hpp"

#include <chrono>
#include <cstdio>

namespace fieldproof::core {
namespace {

using namespace std::chrono;


// 01:00 UTC on the last Sunday of `month`.
UnixMillis LastSundayOneAm(int year, unsigned month) {
  const sys_days last{std::chrono::year{year} / std::chrono::month{month} /
                      Sunday[std::chrono::last]};
  return (last.time_since_epoch().count() * kDay) + 60 * kMinute;
}

sys_days DaysOf(UnixMillis t) { return sys_days{days{t >= 0 ? t / kDay : (t - kDay + 1) / kDay}}; }

std::optional<year_month_day> ParseDate(std::string_view s) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  m = static_cast<unsigned>((s[5] - '0') * 10 + (s[6] - '0'));
  d = static_cast<unsigned>((s[8] - '0') * 10 + (s[9] - '0'));
  const year_month_day date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string FormatDate(const year_month_day& d) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return text;
}

UnixMillis LocalMidnightToUtc(const year_month_day& date, const TimeZoneRule& zone) {
  const UnixMillis local = sys_days{date}.time_since_epoch().count() * kDay;
  // Midnight never falls in the EU switch hour (01:00 UTC is 02:00 or 03:00 local), so
  // the offset at the standard-time guess is the offset at the true instant.
  const UnixMillis guess = local - zone.utc_offset_minutes * kMinute;
  return local - OffsetMinutesAt(guess, zone) * kMinute;
}

}  // namespace

int OffsetMinutesAt(UnixMillis t, const TimeZoneRule& zone) {
  if (!zone.eu_summer_time) return zone.utc_offset_minutes;
  const int year = static_cast<int>(year_month_day{DaysOf(t)}.year());
  const bool summer = t >= LastSundayOneAm(year, 3) && t < LastSundayOneAm(year, 10);
  return zone.utc_offset_minutes + (summer ? 60 : 0);
}

LocalDateTime ToLocal(UnixMillis t, const TimeZoneRule& zone) {
  const UnixMillis local = t + OffsetMinutesAt(t, zone) * kMinute;
  const sys_days day = DaysOf(local);
  const year_month_day date{day};
  const UnixMillis in_day = local - day.time_since_epoch().count() * kDay;
  LocalDateTime out;
  out.year = static_cast<int>(date.year());
  out.month = static_cast<int>(static_cast<unsigned>(date.month()));
  out.day = static_cast<int>(static_cast<unsigned>(date.day()));
  out.hour = static_cast<int>(in_day / (60 * kMinute));
  out.minute = static_cast<int>(in_day / kMinute % 60);
  out.weekday = static_cast<int>(weekday{day}.c_encoding());
  return out;
}

std::string LocalDate(UnixMillis t, const TimeZoneRule& zone) {
  const UnixMillis local = t + OffsetMinutesAt(t, zone) * kMinute;
  return FormatDate(year_month_day{DaysOf(local)});
}

std::string AddDays(std::string_view date, int n) {
  const auto parsed = ParseDate(date);
  if (!parsed) return std::string(date);
  return FormatDate(year_month_day{sys_days{*parsed} + days{n}});
}

bool IsDate(std::string_view text) { return ParseDate(text).has_value(); }

std::optional<UnixMillis> EndOfDayUtc(std::string_view date) {
  const auto day = ParseDate(date);
  if (!day) return std::nullopt;
  return (sys_days{*day} + days{1}).time_since_epoch().count() * kDay - 1;
}

std::optional<Period> ParsePeriod(std::string_view text) {
  if (text.size() != 7) return std::nullopt;
  const auto date = ParseDate(std::string(text) + "-01");
  if (!date) return std::nullopt;
  return Period{static_cast<int>(date->year()),
                static_cast<int>(static_cast<unsigned>(date->month()))};
}

std::string ToString(const Period& p) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", p.year, p.month);
  return text;
}

Period NextPeriod(const Period& p) {
  return p.month == 12 ? Period{p.year + 1, 1} : Period{p.year, p.month + 1};
}
Period PreviousPeriod(const Period& p) {
  return p.month == 1 ? Period{p.year - 1, 12} : Period{p.year, p.month - 1};
}

std::string FirstDay(const Period& p) { return ToString(p) + "-01"; }

std::string LastDay(const Period& p) {
  const year_month_day_last last{
      std::chrono::year{p.year},
      month_day_last{std::chrono::month{static_cast<unsigned>(p.month)}}};
  return FormatDate(year_month_day{last});
}

UnixMillis PeriodStart(const Period& p, const TimeZoneRule& zone) {
  return LocalMidnightToUtc(*ParseDate(FirstDay(p)), zone);
}

UnixMillis PeriodEnd(const Period& p, const TimeZoneRule& zone) {
  return PeriodStart(NextPeriod(p), zone);
}

Period PeriodOf(UnixMillis t, const TimeZoneRule& zone) {
  const LocalDateTime local = ToLocal(t, zone);
  return {local.year, local.month};
}

}  // namespace fieldproof::core
