#include "gateway/core/clock_skew.hpp"

#include <algorithm>

namespace fieldproof::core {

UnixMillis EstimateClockOffset(std::span<const ClockSample> samples) {
  if (samples.empty()) return 0;
  UnixMillis best = samples.front().received_at - samples.front().sent_at;
  for (const ClockSample& s : samples) best = std::min(best, s.received_at - s.sent_at);
  return best;
}

}  // namespace fieldproof::core
