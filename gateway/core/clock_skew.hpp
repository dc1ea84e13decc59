#pragma once
// A handheld's clock offset, estimated from its messages: offset = received_at - sent_at
// is the true offset plus the delivery delay, and the delay is never negative, so the
// smallest value over recent messages is the best estimate (the lower envelope, as in
// NTP's clock filter). Messages that waited in an offline outbox have large values and
// do not disturb it. A read time is corrected by adding the offset.
#include <span>

#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

struct ClockSample {
  UnixMillis sent_at;      // Device clock.
  UnixMillis received_at;  // Gateway clock.
};

// 0 when there are no samples.
UnixMillis EstimateClockOffset(std::span<const ClockSample> samples);

inline UnixMillis CorrectDeviceTime(UnixMillis device_time, UnixMillis offset) {
  return device_time + offset;
}

}  // namespace fieldproof::core
