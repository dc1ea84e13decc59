#include "gateway/core/money.hpp"

#include <gtest/gtest.h>

namespace fieldproof::core {
namespace {

TEST(Money, FormatsTwoDecimals) {
  EXPECT_EQ(FormatAmount(0), "0.00");
  EXPECT_EQ(FormatAmount(5), "0.05");
  EXPECT_EQ(FormatAmount(123456), "1234.56");
  EXPECT_EQ(FormatAmount(-5), "-0.05");
}

TEST(Money, ParsesAmountsWithAtMostTwoDecimals) {
  struct Case {
    const char* text;
    std::optional<Cents> cents;
  };
  for (const Case& c : std::initializer_list<Case>{{"48", 4800},
                                                   {"48.5", 4850},
                                                   {"48.05", 4805},
                                                   {"0.01", 1},
                                                   {"48.001", std::nullopt},
                                                   {"-1.00", std::nullopt},
                                                   {"1,00", std::nullopt},
                                                   {".5", std::nullopt},
                                                   {"5.", std::nullopt},
                                                   {"", std::nullopt},
                                                   {"1e3", std::nullopt}}) {
    EXPECT_EQ(ParseAmount(c.text), c.cents) << c.text;
  }
}

TEST(Money, RateRoundsHalfAwayFromZero) {
  EXPECT_EQ(ApplyRate(4800, 1900), 912);  // 9.12 exactly
  EXPECT_EQ(ApplyRate(3250, 1900), 618);  // 6.175 -> 6.18
  EXPECT_EQ(ApplyRate(3249, 1900), 617);  // 6.1731 -> 6.17
  EXPECT_EQ(ApplyRate(-3250, 1900), -618);
  EXPECT_EQ(ApplyRate(1, 5000), 1);  // 0.005 -> 0.01
  EXPECT_EQ(ApplyRate(4800, 0), 0);
}

TEST(Money, Percentages) {
  EXPECT_EQ(ParsePercent("19"), 1900);
  EXPECT_EQ(ParsePercent("7.5"), 750);
  EXPECT_EQ(ParsePercent("100"), 10000);
  EXPECT_EQ(ParsePercent("100.01"), std::nullopt);
  EXPECT_EQ(FormatPercent(1900), "19.00");
}

}  // namespace
}  // namespace fieldproof::core
