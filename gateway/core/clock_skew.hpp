#pragma once
// A handheld's clock offset, estimated from its messages: offset = received_at - sent_at
// is the true offset plus the delivery delay, and the delay is never negative, so the
// smallest value over recent messages is the best estimate (the lower envelope, as in
// NTP's clock filter). Messages that waited in an offline outbox have large values and
// do not disturb it. A read time is corrected by adding the offset.
#include <cstdint>
#include <optional>
#include <span>

#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

struct ClockSample {
  UnixMillis sent_at;      // Device clock.
  UnixMillis received_at;  // Gateway clock.
};

// 0 when there are no samples.
UnixMillis EstimateClockOffset(std::span<const ClockSample> samples);

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
