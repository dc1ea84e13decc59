// The generated site's history: a year of past inspections as the previous contractor kept them.
#include "firmware-sim/site_generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace fieldproof::sim {
namespace {

TEST(SiteGeneratorTest, AYearOfHistoryLeavesSomeAssetsDueSoonOrOverdueAndAFewNeverInspected) {
  const Site site = GenerateSite({5, "FRA", 2000, 2, 2, 8, 0.2});
  const core::UnixMillis until = *core::ParseRfc3339("2026-11-02T06:00:00Z");
  const auto history = GenerateHistory(site, until);
  EXPECT_EQ(history.size(), GenerateHistory(site, until).size()) << "the same seed, the same history";
  const double never = 1.0 - static_cast<double>(history.size()) / site.assets.size();
  EXPECT_GT(never, 0.01);
  EXPECT_LT(never, 0.06);
  std::size_t near_due = 0, failed = 0;
  for (const auto& past : history) {
    EXPECT_LT(past.inspected_at, until);
    const auto asset = std::find_if(site.assets.begin(), site.assets.end(),
                                    [&](const core::Asset& a) { return a.asset_id == past.asset_id; });
    ASSERT_NE(asset, site.assets.end());
    const core::UnixMillis due = past.inspected_at + asset->interval_days * core::kDay;
    near_due += due < until + 60 * core::kDay;
    failed += !past.passed;
  }
  EXPECT_GT(near_due, history.size() / 10) << "due soon or overdue";
  EXPECT_LT(near_due, history.size() / 4);
  EXPECT_GT(failed, 0u);
}

}  // namespace
}  // namespace fieldproof::sim
