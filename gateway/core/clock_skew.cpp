#include "gateway/core/clock_skew.hpp"

#include <algorithm>
#include <cstdlib>

namespace fieldproof::core {

namespace {

// Another message, received at least `spacing` apart, agrees with sample i.
bool Confirmed(std::span<const ClockSample> samples, std::size_t i, const ClockFilter& f) {
  for (std::size_t j = 0; j < samples.size(); ++j) {
    const UnixMillis apart = samples[j].received_at - samples[i].received_at;
    if (j != i && (apart >= f.spacing || -apart >= f.spacing) &&
        std::abs(ClockValue(samples[j]) - ClockValue(samples[i])) <= f.agree) {
      return true;
    }
  }
  return false;
}

}  // namespace

ClockEstimate EstimateClockOffset(std::span<const ClockSample> samples, const ClockFilter& f) {
  if (samples.empty()) return {};
  // The current regime: confirmed values from the newest back, while they stay within
  // `step` of the lowest so far.
  std::optional<UnixMillis> floor, highest;
  std::size_t regime_begin = samples.size();
  int regime_samples = 0;
  for (std::size_t i = samples.size(); i-- > 0;) {
    if (!Confirmed(samples, i, f)) continue;
    const UnixMillis v = ClockValue(samples[i]);
    if (floor && (v < *floor - f.step || v > *highest + f.step)) break;
    floor = floor ? std::min(*floor, v) : v;
    highest = highest ? std::max(*highest, v) : v;
    regime_begin = i;
    ++regime_samples;
  }
  if (!floor) {
    UnixMillis best = ClockValue(samples.front());
    for (const ClockSample& s : samples) best = std::min(best, ClockValue(s));
    return {best, false, 0};
  }
  // Unconfirmed messages of the regime may lower it by delivery jitter, not more.
  UnixMillis best = *floor;
  for (std::size_t i = regime_begin; i < samples.size(); ++i) {
    const UnixMillis v = ClockValue(samples[i]);
    if (v >= *floor - f.agree) best = std::min(best, v);
  }
  return {best, true, regime_samples};
}

SensorClockWindows ObserveSensorDelay(const std::optional<SensorClockWindows>& windows, UnixMillis delay,
                                      std::int64_t window) {
  if (!windows) return {delay, 1, std::nullopt};
  if (windows->count >= window) return {delay, 1, windows->delay_min};  // A full window becomes the previous one.
  return {std::min(windows->delay_min, delay), windows->count + 1, windows->previous_delay_min};
}

}  // namespace fieldproof::core
