#include "gateway/core/tap_timing.hpp"

#include <vector>

namespace fieldproof::core {
namespace {

// Rounded to the nearest unit that keeps it short: "40 s", "12 min", "5 h", "21 d".
std::string Duration(UnixMillis ms) {
  const UnixMillis minutes = (ms + 30'000) / 60'000;
  if (minutes >= 48 * 60) return std::to_string((minutes + 12 * 60) / (24 * 60)) + " d";
  if (minutes >= 120) return std::to_string((minutes + 30) / 60) + " h";
  if (minutes >= 2) return std::to_string(minutes) + " min";
  return std::to_string((ms + 500) / 1000) + " s";
}

// The first message the handheld delivered on time after this tap was read, if it came
// more than `max_withheld` before this tap.
std::optional<ClockSample> WithheldPast(const TapTimes& tap, UnixMillis read_at,
                                        std::span<const ClockSample> handheld, UnixMillis offset,
                                        const TimingPolicy& p) {
  for (const ClockSample& m : handheld) {
    if (m.received_at + p.max_withheld >= tap.received_at) break;  // Arrival order.
    // Far below the offset is a message of the clock before it was set, or an outlier.
    const UnixMillis delay = ClockValue(m) - offset;
    const bool on_time = delay >= -p.on_time && delay <= p.on_time;
    if (on_time && CorrectDeviceTime(m.sent_at, offset) > read_at + p.future_tolerance) return m;
  }
  return std::nullopt;
}

}  // namespace

std::string_view ToString(Timing v) {
  switch (v) {
    case Timing::kPlausible: return "plausible";
    case Timing::kSuspect: return "suspect";
    case Timing::kImpossible: return "impossible";
  }
  return "?";
}

std::optional<Timing> ParseTiming(std::string_view s) {
  for (Timing t : {Timing::kPlausible, Timing::kSuspect, Timing::kImpossible}) {
    if (ToString(t) == s) return t;
  }
  return std::nullopt;
}

TimingFinding CheckTapTiming(const TapTimes& tap, std::span<const ClockSample> handheld,
                             const std::optional<ClockEstimate>& clock, const TimingPolicy& p) {
  if (tap.read_at > tap.sent_at + p.future_tolerance) {
    return {Timing::kImpossible, "read " + Duration(tap.read_at - tap.sent_at) +
                                     " after it was sent, by the handheld's own clock"};
  }
  if (!clock) return {Timing::kPlausible, "read before it was sent; device clock not checked"};
  const UnixMillis read_at = CorrectDeviceTime(tap.read_at, clock->offset);
  const std::string offset = "clock offset " + std::to_string(clock->offset) + " ms" +
                             (clock->confirmed ? "" : " (not yet confirmed)");
  if (read_at > tap.received_at + p.future_tolerance) {
    return {Timing::kSuspect, "read " + Duration(read_at - tap.received_at) +
                                  " after it arrived (" + offset +
                                  "): the device time is implausible"};
  }
  const UnixMillis delay = tap.received_at - read_at;
  if (delay > p.max_delivery_delay) {
    return {Timing::kSuspect, "arrived " + Duration(delay) + " after it was read; an outbox holds "
                                  "taps at most " + Duration(p.max_delivery_delay)};
  }
  if (const auto online = WithheldPast(tap, read_at, handheld, clock->offset, p)) {
    return {Timing::kSuspect,
            "read at " + FormatRfc3339(read_at) + " but arrived only at " +
                FormatRfc3339(tap.received_at) + ", although the handheld delivered a later "
                "message on time at " + FormatRfc3339(online->received_at)};
  }
  return {Timing::kPlausible, "arrived " + Duration(delay > 0 ? delay : 0) + " after it was read (" +
                                  offset + ")"};
}

}  // namespace fieldproof::core
