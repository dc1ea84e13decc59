#pragma once
// Are a tap's times possible? The read time decides where an inspection lies, so a tap
// must not be able to move it: read after it was sent, read in the future, or read long
// before it arrived, from a handheld that was meanwhile online. Device times are judged
// after the handheld's clock offset (clock_skew.hpp) is applied.
//
//   impossible  read later than sent (both on the device's own clock)
//   suspect     read in the future; delivered more than `max_delivery_delay` after it was
//               read; or withheld: the handheld delivered on time a message it wrote after
//               this read, more than `max_withheld` before this tap arrived — an outbox
//               empties when the handheld is online, so the tap was not waiting in it
//   plausible   otherwise, including a tap that waited hours in an offline outbox
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "gateway/core/clock_skew.hpp"

namespace fieldproof::core {

enum class Timing { kPlausible, kSuspect, kImpossible };
std::string_view ToString(Timing v);
std::optional<Timing> ParseTiming(std::string_view s);

struct TimingPolicy {
  UnixMillis future_tolerance = 2 * kMinute;  // Residual clock error.
  UnixMillis max_delivery_delay = 72 * kHour;  // A long weekend in an offline outbox.
  UnixMillis max_withheld = kHour;             // Online, yet not sent.
  UnixMillis on_time = kMinute;                // A delivery delay below this is on time.
};

struct TapTimes {
  UnixMillis read_at;      // Device clock.
  UnixMillis sent_at;      // Device clock.
  UnixMillis received_at;  // Gateway clock.
};

struct TimingFinding {
  Timing outcome;
  std::string detail;
};

// `handheld` holds the handheld's recent messages in arrival order (this tap among them);
// `clock` was estimated from them. Without a clock (a simulation whose clocks run faster
// than real time) only the device's own order is checked.
TimingFinding CheckTapTiming(const TapTimes& tap, std::span<const ClockSample> handheld,
                             const std::optional<ClockEstimate>& clock, const TimingPolicy& policy);

}  // namespace fieldproof::core
