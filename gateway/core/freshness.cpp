#include "gateway/core/freshness.hpp"

namespace fieldproof::core {

std::string_view ToString(Freshness v) {
  switch (v) {
    case Freshness::kFresh: return "fresh";
    case Freshness::kReplay: return "replay";
    case Freshness::kRollback: return "rollback";
  }
  return "?";
}

std::optional<Freshness> ParseFreshness(std::string_view s) {
  for (Freshness f : {Freshness::kFresh, Freshness::kReplay, Freshness::kRollback}) {
    if (ToString(f) == s) return f;
  }
  return std::nullopt;
}

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
