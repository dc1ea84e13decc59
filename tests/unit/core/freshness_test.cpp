// Freshness of an NTAG 424 DNA read: counter order and read-time order must agree.
#include "gateway/core/freshness.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace fieldproof::core {
namespace {


// 2026-11-23T10:00:00Z: 20780 days after the epoch, plus ten hours.
constexpr UnixMillis kT0 = 20780 * kDay + 10 * kHour;
constexpr UnixMillis kTolerance = 2 * kSecond;

struct FreshnessCase {
  std::string name;  // gtest parameter name: letters, digits, underscores.
  std::vector<SeenRead> earlier;
  std::uint32_t counter;
  UnixMillis read_at;
  UnixMillis tolerance;
  Freshness expected;
  std::vector<std::string> detail_contains;
};

void PrintTo(const FreshnessCase& c, std::ostream* os) { *os << c.name; }

class CheckFreshnessTest : public ::testing::TestWithParam<FreshnessCase> {};

TEST_P(CheckFreshnessTest, ClassifiesTheRead) {
  const FreshnessCase& c = GetParam();
  const FreshnessCheck check = CheckFreshness(c.earlier, c.counter, c.read_at, c.tolerance);
  EXPECT_EQ(check.outcome, c.expected) << check.detail;
  for (const std::string& part : c.detail_contains) {
    EXPECT_NE(check.detail.find(part), std::string::npos)
        << "detail \"" << check.detail << "\" lacks \"" << part << "\"";
  }
}

// Reads of one tag, counters 10, 20, ..., 100 at one-minute steps: counter 10 at kT0,
// 40 at kT0 + 3 min, 50 at kT0 + 4 min.
std::vector<SeenRead> TenSpacedReads() {
  std::vector<SeenRead> reads;
  for (std::uint32_t i = 1; i <= 10; ++i) {
    reads.push_back({10 * i, kT0 + (i - 1) * kMinute});
  }
  return reads;
}

// A technician's day on one tag: counters 1..200, one read every 30 s, newest first (the
// order a store query might return them in).
std::vector<SeenRead> ManyReadsNewestFirst() {
  std::vector<SeenRead> reads;
  for (std::uint32_t c = 200; c >= 1; --c) reads.push_back({c, kT0 + (c - 1) * 30 * kSecond});
  return reads;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, CheckFreshnessTest,
    ::testing::Values(
        FreshnessCase{"FirstReadOfTag", {}, 1, kT0, kTolerance, Freshness::kFresh,
                      {"read counter 1", "not seen before"}},
        FreshnessCase{"FirstReadWithZeroToleranceAndCounterZero", {}, 0, kT0, 0,
                      Freshness::kFresh, {"read counter 0"}},
        FreshnessCase{"NextReadInOrder", {{5, kT0}}, 6, kT0 + kMinute, kTolerance,
                      Freshness::kFresh, {"read counter 6"}},
        FreshnessCase{"IncreasingReadsWithCounterGaps",
                      {{5, kT0}, {9, kT0 + kMinute}, {12, kT0 + 2 * kMinute}},
                      40,
                      kT0 + kHour,
                      kTolerance,
                      Freshness::kFresh,
                      {"read counter 40"}},
        // A tap buffered offline arrives after later taps: lower counter, but earlier time.
        FreshnessCase{"OlderLowerUnseenCounterArrivingLate",
                      {{10, kT0}, {30, kT0 + 2 * kHour}},
                      20,
                      kT0 + kHour,
                      kTolerance,
                      Freshness::kFresh,
                      {"read counter 20", "not seen before"}},
        FreshnessCase{"LateArrivalOlderThanEverythingSeen",
                      {{50, kT0 + kHour}, {51, kT0 + 2 * kHour}},
                      3,
                      kT0 - kDay,
                      kTolerance,
                      Freshness::kFresh,
                      {"read counter 3"}},
        FreshnessCase{"ExactReplaySameCounterSameTime",
                      {{7, kT0}},
                      7,
                      kT0,
                      kTolerance,
                      Freshness::kReplay,
                      {"read counter 7", "already used", "2026-11-23T10:00:00.000Z"}},
        // A copied SUN URL sent again a day later is still a replay, not a rollback.
        FreshnessCase{"ReplayDaysLater",
                      {{6, kT0 - kMinute}, {7, kT0}, {8, kT0 + kMinute}},
                      7,
                      kT0 + kDay,
                      kTolerance,
                      Freshness::kReplay,
                      {"read counter 7", "already used", "2026-11-23T10:00:00.000Z"}},
        FreshnessCase{"ReplayWinsOverRollbackInTheSameHistory",
                      {{20, kT0}, {7, kT0 - kHour}},
                      7,
                      kT0 + kHour,
                      kTolerance,
                      Freshness::kReplay,
                      {"already used", "2026-11-23T09:00:00.000Z"}},
        // Lower counter read later than a higher one: a clone, or a forged read time.
        FreshnessCase{"RollbackLowerCounterLater",
                      {{20, kT0}},
                      15,
                      kT0 + kHour,
                      kTolerance,
                      Freshness::kRollback,
                      {"read counter 15", "2026-11-23T11:00:00.000Z", "contradicts counter 20",
                       "2026-11-23T10:00:00.000Z"}},
        // Higher counter read earlier than a lower one: a forward-dated read time.
        FreshnessCase{"ForwardDatedHigherCounterEarlier",
                      {{20, kT0}},
                      25,
                      kT0 - kHour,
                      kTolerance,
                      Freshness::kRollback,
                      {"read counter 25", "2026-11-23T09:00:00.000Z", "contradicts counter 20",
                       "2026-11-23T10:00:00.000Z"}},
        // Tolerance boundaries: a lower counter may be read up to `tolerance` later.
        FreshnessCase{"LowerCounterLaterExactlyAtTolerance", {{20, kT0}}, 19,
                      kT0 + kTolerance, kTolerance, Freshness::kFresh, {"read counter 19"}},
        FreshnessCase{"LowerCounterLaterOneMsBeyondTolerance",
                      {{20, kT0}},
                      19,
                      kT0 + kTolerance + 1,
                      kTolerance,
                      Freshness::kRollback,
                      {"contradicts counter 20"}},
        FreshnessCase{"HigherCounterEarlierExactlyAtTolerance", {{20, kT0}}, 21,
                      kT0 - kTolerance, kTolerance, Freshness::kFresh, {"read counter 21"}},
        FreshnessCase{"HigherCounterEarlierOneMsBeyondTolerance",
                      {{20, kT0}},
                      21,
                      kT0 - kTolerance - 1,
                      kTolerance,
                      Freshness::kRollback,
                      {"contradicts counter 20"}},
        FreshnessCase{"SameTimeDifferentCounterZeroTolerance", {{20, kT0}}, 19, kT0, 0,
                      Freshness::kFresh, {"read counter 19"}},
        FreshnessCase{"LowerCounterOneMsLaterZeroTolerance", {{20, kT0}}, 19, kT0 + 1, 0,
                      Freshness::kRollback, {"contradicts counter 20"}},
        // Many earlier reads: a gap filled at the right time is fresh; the wrong time is not,
        // and the detail names the read it conflicts with.
        FreshnessCase{"ManyReadsGapFilledAtTheRightTime", TenSpacedReads(), 45,
                      kT0 + 3 * kMinute + 30 * kSecond, kTolerance, Freshness::kFresh,
                      {"read counter 45"}},
        FreshnessCase{"ManyReadsGapFilledTooLate",
                      TenSpacedReads(),
                      45,
                      kT0 + 4 * kMinute + 30 * kSecond,
                      kTolerance,
                      Freshness::kRollback,
                      {"read counter 45", "contradicts counter 50"}},
        FreshnessCase{"ManyReadsGapFilledTooEarly",
                      TenSpacedReads(),
                      45,
                      kT0 + 2 * kMinute + 30 * kSecond,
                      kTolerance,
                      Freshness::kRollback,
                      {"read counter 45", "contradicts counter 40"}},
        FreshnessCase{"ManyReadsNextCounterAfterAll", ManyReadsNewestFirst(), 201,
                      kT0 + 200 * 30 * kSecond, kTolerance, Freshness::kFresh,
                      {"read counter 201"}},
        FreshnessCase{"ManyReadsReplayOfAMiddleRead",
                      ManyReadsNewestFirst(),
                      100,
                      kT0 + 201 * 30 * kSecond,
                      kTolerance,
                      Freshness::kReplay,
                      {"read counter 100", "already used", "2026-11-23T10:49:30.000Z"}},
        FreshnessCase{"ManyReadsCloneContinuesWithLowCounter",
                      ManyReadsNewestFirst(),
                      0,
                      kT0 + 201 * 30 * kSecond,
                      kTolerance,
                      Freshness::kRollback,
                      {"read counter 0", "contradicts counter"}}),
    [](const ::testing::TestParamInfo<FreshnessCase>& info) { return info.param.name; });

}  // namespace
}  // namespace fieldproof::core
