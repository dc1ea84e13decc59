// RequestLimiter: a token bucket per client, the time given by the test.
#include "gateway/http/request_limiter.hpp"

#include <gtest/gtest.h>

namespace fieldproof::http {
namespace {

using namespace std::chrono_literals;
const RequestLimiter::Clock::time_point kStart{};

TEST(RequestLimiterTest, ABurstIsAdmittedThenTheClientWaitsForTheRate) {
  RequestLimiter limiter({.per_second = 2, .burst = 5});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Admit("Bearer a", kStart), 0s) << i;
  EXPECT_EQ(limiter.Admit("Bearer a", kStart), 1s) << "the sixth waits half a second: Retry-After 1";
  EXPECT_EQ(limiter.Admit("Bearer a", kStart + 500ms), 0s);
  EXPECT_EQ(limiter.Admit("Bearer a", kStart + 500ms), 1s);
  // A quiet spell fills the bucket again, never beyond the burst.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.Admit("Bearer a", kStart + 1h), 0s) << i;
  EXPECT_EQ(limiter.Admit("Bearer a", kStart + 1h), 1s);
}

TEST(RequestLimiterTest, EachClientHasItsOwnBucket) {
  RequestLimiter limiter({.per_second = 1, .burst = 1});
  EXPECT_EQ(limiter.Admit("Bearer a", kStart), 0s);
  EXPECT_EQ(limiter.Admit("Bearer a", kStart), 1s);
  EXPECT_EQ(limiter.Admit("Bearer b", kStart), 0s) << "a's hurry costs b nothing";
}

TEST(RequestLimiterTest, ASlowRateSaysHowLongToWait) {
  RequestLimiter limiter({.per_second = 0.1, .burst = 1});
  EXPECT_EQ(limiter.Admit("k", kStart), 0s);
  EXPECT_EQ(limiter.Admit("k", kStart), 10s);
  EXPECT_EQ(limiter.Admit("k", kStart + 4s), 6s);
}

TEST(RequestLimiterTest, RateZeroMeansNoLimit) {
  RequestLimiter limiter({.per_second = 0, .burst = 1});
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(limiter.Admit("k", kStart), 0s);
}

TEST(RequestLimiterTest, ManyClientsDoNotGrowItWithoutBound) {
  RequestLimiter limiter({.per_second = 1, .burst = 1}, /*max_keys=*/10);
  // Made-up tokens by the thousand, one a second: each is admitted, idle buckets forgotten.
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(limiter.Admit("Bearer x" + std::to_string(i), kStart + i * 1s), 0s);
  EXPECT_LE(limiter.keys(), 10u);
  EXPECT_EQ(limiter.Admit("Bearer x9999", kStart + 9999s), 1s) << "a busy bucket is kept";
}

TEST(RequestLimiterTest, AFloodOfMadeUpTokensCannotResetABusyToken) {
  RequestLimiter limiter({.per_second = 1, .burst = 2}, /*max_keys=*/10);
  EXPECT_EQ(limiter.Admit("Bearer greedy", kStart), 0s);
  EXPECT_EQ(limiter.Admit("Bearer greedy", kStart), 0s);
  EXPECT_EQ(limiter.Admit("Bearer greedy", kStart), 1s);
  // All at the same instant, so no bucket is idle: the newcomers beyond the bound share one.
  for (int i = 0; i < 1000; ++i) limiter.Admit("Bearer made-up-" + std::to_string(i), kStart);
  EXPECT_LE(limiter.keys(), 11u);
  EXPECT_EQ(limiter.Admit("Bearer greedy", kStart), 1s) << "still waiting, not started over";
  EXPECT_EQ(limiter.Admit("Bearer made-up-999", kStart), 1s) << "the crowd's shared bucket is empty";
}

}  // namespace
}  // namespace fieldproof::http
