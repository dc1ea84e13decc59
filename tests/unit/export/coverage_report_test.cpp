#include "gateway/export/coverage_report.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

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

// Security review (issue 17): locations, buildings and asset ids come from the CAFM import and
// reach spreadsheets. Text that would start a formula is neutralised; floors (-1), counts and
// percentages stay numbers.
TEST(CoverageCsv, TextThatWouldStartAFormulaIsNeutralisedNumbersAreNot) {
  core::CoverageInputs in;
  in.site = "FRA";
  in.as_of = At("2026-11-23T12:00:00Z");
  in.trend_months = 1;
  in.assets = {{"=cmd|' /C calc'!A0", "-B", -1, "=HYPERLINK(\"http://x.example\")",
                "fire_shutter", 365, {At("2025-10-01T00:00:00Z")}},
               {"@A-2", "+T1", -2, "\tgrid", "fire_door", 180, {}}};
  const auto parsed = codec::ParseCsv(WriteCoverageCsv(core::BuildCoverageReport(in)));
  ASSERT_TRUE(parsed.errors.empty());
  const auto& header = parsed.records[0].fields;
  auto column = [&](const char* name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  std::map<std::string, std::vector<std::string>> by_asset;
  std::set<std::string> buildings, floors;
  for (std::size_t i = 1; i < parsed.records.size(); ++i) {
    const auto& f = parsed.records[i].fields;
    if (f[0] == "building") buildings.insert(f[column("building")]);
    if (f[0] == "floor") floors.insert(f[column("floor")]);
    if (f[0].ends_with("_asset")) by_asset[f[column("asset_id")]] = f;
  }
  EXPECT_EQ(buildings, (std::set<std::string>{"'-B", "'+T1"}));
  EXPECT_EQ(floors, (std::set<std::string>{"-1", "-2"}));
  ASSERT_EQ(by_asset.size(), 2u);
  const auto& overdue = by_asset.at("'=cmd|' /C calc'!A0");
  EXPECT_EQ(overdue[column("location")], "'=HYPERLINK(\"http://x.example\")");
  EXPECT_EQ(overdue[column("floor")], "-1");
  const auto& never = by_asset.at("'@A-2");
  EXPECT_EQ(never[column("location")], "'\tgrid");
  EXPECT_EQ(never[column("building")], "'+T1");
  EXPECT_EQ(never[column("floor")], "-2");
}

// Security review (issue 17): the table is printed on a terminal; registry text must not
// carry escape sequences there.
TEST(CoverageTable, EscapesControlCharactersFromTheRegistry) {
  core::CoverageInputs in;
  in.site = "FRA";
  in.as_of = At("2026-11-23T12:00:00Z");
  in.trend_months = 1;
  in.assets = {{"A-\x1B[2J", "T\x1B]0;x\x07", 0, "grid", "fire_door", 180, {}}};
  const std::string table = WriteCoverageTable(core::BuildCoverageReport(in));
  EXPECT_EQ(table.find('\x1B'), std::string::npos) << table;
  EXPECT_EQ(table.find('\x07'), std::string::npos) << table;
  EXPECT_NE(table.find("A-\\x1b[2J"), std::string::npos) << table;
  EXPECT_NE(table.find("T\\x1b]0;x\\x07"), std::string::npos) << table;
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
