#include "gateway/core/freshness.hpp"

namespace fieldproof::core {

FreshnessCheck CheckFreshness(std::span<const SeenRead> earlier, std::uint32_t counter,
                              UnixMillis read_at, UnixMillis tolerance) {
  for (const SeenRead& seen : earlier) {
    if (seen.counter == counter) {
      return {Freshness::kReplay, "read counter " + std::to_string(counter) +
                                      " was already used by a read at " +
                                      FormatRfc3339(seen.read_at)};
    }
  }
  for (const SeenRead& seen : earlier) {
    const bool later_but_lower = seen.counter > counter && read_at > seen.read_at + tolerance;
    const bool earlier_but_higher = seen.counter < counter && read_at + tolerance < seen.read_at;
    if (later_but_lower || earlier_but_higher) {
      return {Freshness::kRollback,
              "read counter " + std::to_string(counter) + " at " + FormatRfc3339(read_at) +
                  " contradicts counter " + std::to_string(seen.counter) + " at " +
                  FormatRfc3339(seen.read_at)};
    }
  }
  return {Freshness::kFresh, "read counter " + std::to_string(counter) + " not seen before"};
}

}  // namespace fieldproof::core
