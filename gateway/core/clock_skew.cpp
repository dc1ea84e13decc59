#include "gateway/core/clock_skew.hpp"

#include <algorithm>

namespace fieldproof::core {

UnixMillis EstimateClockOffset(std::span<const ClockSample> samples) {
  if (samples.empty()) return 0;
  UnixMillis best = samples.front().received_at - samples.front().sent_at;
  for (const ClockSample& s : samples) best = std::min(best, s.received_at - s.sent_at);
  return best;
}

SensorClockWindows ObserveSensorDelay(const std::optional<SensorClockWindows>& windows, UnixMillis delay,
                                      std::int64_t window) {
  if (!windows) return {delay, 1, std::nullopt};
  if (windows->count >= window) return {delay, 1, windows->delay_min};  // A full window becomes the previous one.
  return {std::min(windows->delay_min, delay), windows->count + 1, windows->previous_delay_min};
}

}  // namespace fieldproof::core
