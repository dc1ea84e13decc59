#include "gateway/export/coverage_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "gateway/codec/coverage_codec.hpp"
#include "gateway/codec/csv.hpp"

namespace fieldproof::exporter {
namespace {

core::UnixMillis At(const char* rfc3339) { return *core::ParseRfc3339(rfc3339); }

core::CoverageReport Sample() {
  core::CoverageInputs in;
  in.site = "FRA";
  in.as_of = At("2026-11-23T12:00:00Z");
  in.trend_months = 2;
  in.assets = {
      {"A-1", "T1", 0, "grid A1", "fire_shutter", 365, {At("2026-06-01T00:00:00Z")}},
      {"A-2", "T1", 1, "gate <B1> & co", "fire_shutter", 365, {At("2025-10-01T00:00:00Z")}},
      {"A-3", "T2", 0, "grid C1", "fire_door", 180, {}}};
  in.recent = {{"T-1", "verified"}, {"T-2", "rejected"}};
  return core::BuildCoverageReport(in);
}

TEST(CoverageCsv, GroupRowsThenOneRowPerOverdueAsset) {
  const auto parsed = codec::ParseCsv(WriteCoverageCsv(Sample()));
  ASSERT_TRUE(parsed.errors.empty());
  const std::size_t columns = parsed.records[0].fields.size();
  for (const auto& r : parsed.records) EXPECT_EQ(r.fields.size(), columns) << r.line;
  std::map<std::string, int> scopes;
  for (std::size_t i = 1; i < parsed.records.size(); ++i) ++scopes[parsed.records[i].fields[0]];
  EXPECT_EQ(scopes, (std::map<std::string, int>{{"site", 1},
                                                {"building", 2},
                                                {"floor", 3},
                                                {"asset_type", 2},
                                                {"month", 2},
                                                {"overdue_asset", 1},
                                                {"never_inspected_asset", 1}}));
  EXPECT_EQ(parsed.records[1].fields.back(), "33.3");  // Site: 1 of 3 covered.
}

TEST(CoverageJson, CarriesTheCountsTheOverdueAndTheTrend) {
  const auto j = nlohmann::json::parse(codec::EncodeCoverageReport(Sample()));
  EXPECT_EQ(j["site"], "FRA");
  EXPECT_EQ(j["total"]["assets"], 3);
  EXPECT_EQ(j["total"]["percent_covered"], 33.3);
  EXPECT_EQ(j["by_floor"].size(), 3u);
  EXPECT_EQ(j["overdue_count"], 2);
  EXPECT_EQ(j["overdue"][0]["asset_id"], "A-2");
  EXPECT_EQ(j["overdue"][1]["last_verified"], nullptr);
  EXPECT_EQ(j["trend"].size(), 2u);
  EXPECT_EQ(j["activity"]["rejected"], 1);
  const auto limited = nlohmann::json::parse(codec::EncodeCoverageReport(Sample(), 1));
  EXPECT_EQ(limited["overdue"].size(), 1u);
  EXPECT_EQ(limited["overdue_count"], 2);
}

TEST(CoverageHtml, IsSelfContainedWithChartsAndEscapedText) {
  const std::string html = WriteCoverageHtml(Sample());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("33.3 % covered"), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"coverage by building\""), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"coverage by floor\""), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"coverage trend\""), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos) << "nothing loaded from elsewhere";
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("gate <B1>"), std::string::npos);
  EXPECT_NE(html.find("gate &lt;B1&gt; &amp; co"), std::string::npos);
}

}  // namespace
}  // namespace fieldproof::exporter
