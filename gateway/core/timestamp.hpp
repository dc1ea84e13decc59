#pragma once
// RFC 3339 timestamps at the edges; UTC milliseconds since the Unix epoch inside.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fieldproof::core {

using UnixMillis = std::int64_t;

// Durations in UnixMillis.
inline constexpr UnixMillis kSecond = 1000;
inline constexpr UnixMillis kMinute = 60 * kSecond;
inline constexpr UnixMillis kHour = 60 * kMinute;
inline constexpr UnixMillis kDay = 24 * kHour;

// Whole UTC days since 1970-01-01 (floor, also before it).
inline std::int64_t DayNumber(UnixMillis t) { return t >= 0 ? t / kDay : (t - kDay + 1) / kDay; }

// Accepts YYYY-MM-DDTHH:MM:SS[.fraction]{Z|+hh:mm|-hh:mm}; checks the calendar
// (no 30 February) and converts to UTC. Fractions beyond milliseconds are truncated.
std::optional<UnixMillis> ParseRfc3339(std::string_view text);

// Always UTC with milliseconds: 2026-11-23T10:15:00.000Z
std::string FormatRfc3339(UnixMillis t);

}  // namespace fieldproof::core
