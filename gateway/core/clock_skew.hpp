#pragma once
// A handheld's clock offset, estimated from its messages: offset = received_at - sent_at
// is the true offset plus the delivery delay, and the delay is never negative, so the
// smallest value over recent messages is the best estimate (the lower envelope, as in
// NTP's clock filter). Messages that waited in an offline outbox have large values and
// do not disturb it. A read time is corrected by adding the offset.
//
// The plain minimum trusts every message, so one message stamped far in the future (a
// clock glitch, or a forged time) would define the offset for all that follow, and a
// clock set back (corrected) would keep its old, lower values for the whole window. The
// estimate therefore trusts a value once it is *confirmed*: a second message, received at
// least `spacing` apart (not the same outbox flush), agrees with it within `agree` — the
// clock relation held over real time. Then
//   - the newest confirmed values form the current regime: an older confirmed value more
//     than `step` away belongs to the clock before it was set, and is ignored;
//   - a lone value below the regime by more than `agree` is an outlier: not used;
//   - with nothing confirmed yet (a new handheld, or only one outbox flush in the window)
//     the plain minimum is all there is.
// NTP's popcorn-spike suppressor and step threshold are the model.
#include <cstdint>
#include <optional>
#include <span>

#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

struct ClockSample {
  UnixMillis sent_at;      // Device clock.
  UnixMillis received_at;  // Gateway clock.
};

struct ClockFilter {
  UnixMillis agree = 5'000;      // Two messages within this read the same clock (delivery jitter).
  UnixMillis spacing = 60'000;   // ...when received at least this far apart.
  UnixMillis step = 60'000;      // A confirmed value this far from the newest ones: an older clock.
};

struct ClockEstimate {
  UnixMillis offset = 0;   // 0 when there are no samples.
  bool confirmed = false;  // Defined by confirmed values, not the plain minimum.
  // Confirmed values of the current regime; a message whose value is within `agree` of
  // the offset was delivered on time.
  int regime_samples = 0;
};

// `samples` in arrival order, oldest first.
ClockEstimate EstimateClockOffset(std::span<const ClockSample> samples, const ClockFilter& filter = {});

inline UnixMillis ClockValue(const ClockSample& s) { return s.received_at - s.sent_at; }

// A sensor's delays (received_at - device_time) in windows of a fixed number of messages:
// the smallest of the current window and of the full one before it. The smaller of the two
// is its clock's offset, read from its newest `window` to 2 x `window` messages.
struct SensorClockWindows {
  UnixMillis delay_min = 0;                     // Over the current window.
  std::int64_t count = 0;                       // Messages in the current window.
  std::optional<UnixMillis> previous_delay_min;  // Over the full window before; none yet.
  bool operator==(const SensorClockWindows&) const = default;
};

// The windows after one more message; `windows` is none before a sensor's first.
SensorClockWindows ObserveSensorDelay(const std::optional<SensorClockWindows>& windows, UnixMillis delay,
                                      std::int64_t window);

inline UnixMillis CorrectDeviceTime(UnixMillis device_time, UnixMillis offset) {
  return device_time + offset;
}

}  // namespace fieldproof::core
