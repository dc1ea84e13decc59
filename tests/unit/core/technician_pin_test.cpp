#include "gateway/core/technician_pin.hpp"

#include <gtest/gtest.h>

namespace fieldproof::core {
namespace {

TEST(TechnicianPinTest, APinIsFourToTwelveDigits) {
  EXPECT_TRUE(IsPin("2468"));
  EXPECT_TRUE(IsPin("012345678901"));
  EXPECT_FALSE(IsPin("123"));
  EXPECT_FALSE(IsPin("0123456789012"));
  EXPECT_FALSE(IsPin("12a4"));
  EXPECT_FALSE(IsPin("1234\n"));
  EXPECT_FALSE(IsPin(""));
}

TEST(TechnicianPinTest, TheFifthWrongPinInARowLocksForFifteenMinutes) {
  PinAttempts attempts;
  for (int i = 1; i < kPinFailuresBeforeLock; ++i) {
    attempts = AfterWrongPin(attempts, 1000);
    EXPECT_EQ(attempts.failures, i);
    EXPECT_FALSE(attempts.LockedAt(1000));
  }
  attempts = AfterWrongPin(attempts, 1000);
  EXPECT_EQ(attempts.failures, 0);
  EXPECT_TRUE(attempts.LockedAt(1000));
  EXPECT_TRUE(attempts.LockedAt(1000 + kPinLock - 1));
  EXPECT_FALSE(attempts.LockedAt(1000 + kPinLock));
}

}  // namespace
}  // namespace fieldproof::core
