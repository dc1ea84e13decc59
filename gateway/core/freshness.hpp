#pragma once
// Freshness of an NTAG 424 DNA read. The tag increments its read counter on every read,
// so for one tag, counter order and read-time order must agree. That rule, not "the
// counter must exceed the highest seen", is what lets a tap buffered offline for hours
// arrive late without a false alarm: its counter is lower than ones already seen, but so
// is its read time. What the rule refuses:
//   replay   — a counter already seen on this tag (a copied SUN URL sent again);
//   rollback — a counter that contradicts the time order of a read already seen (lower
//              counter read later, or higher counter read earlier): a clone or a forged time.
// Read times are the handhelds' clock-corrected times; `tolerance` absorbs what is left
// of clock error between two handhelds.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

struct SeenRead {
  std::uint32_t counter;
  UnixMillis read_at;
};

enum class Freshness { kFresh, kReplay, kRollback };
std::string_view ToString(Freshness v);
std::optional<Freshness> ParseFreshness(std::string_view s);

struct FreshnessCheck {
  Freshness outcome;
  std::string detail;  // For the evidence: which earlier read it conflicts with.
};

FreshnessCheck CheckFreshness(std::span<const SeenRead> earlier_reads_of_tag,
                              std::uint32_t counter, UnixMillis read_at, UnixMillis tolerance);

}  // namespace fieldproof::core
