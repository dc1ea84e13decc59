// The broker's running count of dropped messages, turned into new drops.
#include "gateway/mqtt/broker_drops.hpp"

#include <gtest/gtest.h>

namespace fieldproof::mqtt_adapter {
namespace {

TEST(BrokerDropWatchTest, ReportsWhatTheBrokerDroppedBeforeTheFirstReadingThenOnlyIncreases) {
  BrokerDropWatch watch;
  EXPECT_EQ(watch.Observe(0), 0u);
  EXPECT_EQ(watch.Observe(0), 0u);
  EXPECT_EQ(watch.Observe(400), 400u);  // The gateway's queue overflowed while it was away.
  EXPECT_EQ(watch.Observe(400), 0u);
  EXPECT_EQ(watch.Observe(410), 10u);
  EXPECT_EQ(watch.total(), 410u);
}

TEST(BrokerDropWatchTest, ACountThatGoesBackIsARestartedBrokerWhoseDropsAreNew) {
  BrokerDropWatch watch;
  EXPECT_EQ(watch.Observe(50), 50u);
  EXPECT_EQ(watch.Observe(7), 7u);
  EXPECT_EQ(watch.Observe(9), 2u);
  EXPECT_EQ(watch.total(), 59u);
}

TEST(BrokerDropWatchTest, OnlyPlainDecimalCountsAreRead) {
  EXPECT_EQ(ParseBrokerCount("0"), 0u);
  EXPECT_EQ(ParseBrokerCount("18446744073709551615"), 18446744073709551615u);
  EXPECT_EQ(ParseBrokerCount(""), std::nullopt);
  EXPECT_EQ(ParseBrokerCount("-1"), std::nullopt);
  EXPECT_EQ(ParseBrokerCount("12 "), std::nullopt);
  EXPECT_EQ(ParseBrokerCount("1e3"), std::nullopt);
  EXPECT_EQ(ParseBrokerCount("18446744073709551616"), std::nullopt);  // Overflows.
}

}  // namespace
}  // namespace fieldproof::mqtt_adapter
