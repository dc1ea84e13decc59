// Floor plans: what counts as a drawing (and what an SVG may not carry), where a plan lies on
// the site, and which colour a marker takes.
#include "gateway/core/floor_plan.hpp"

#include <gtest/gtest.h>

namespace fieldproof::core {
namespace {

std::string Png(std::uint32_t width, std::uint32_t height) {
  std::string png = "\x89PNG\r\n\x1a\n";
  png += std::string("\0\0\0\x0dIHDR", 8);
  for (std::uint32_t v : {width, height}) {
    for (int shift = 24; shift >= 0; shift -= 8) png += static_cast<char>((v >> shift) & 0xFF);
  }
  return png + std::string("\x08\x02\0\0\0", 5) + std::string(4, '\0');
}

std::string Svg(const std::string& root_attributes, const std::string& body = "") {
  return "<?xml version=\"1.0\"?>\n<!-- drawn by hand -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" " +
         root_attributes + ">" + body + "</svg>";
}

std::string Refusal(std::string_view bytes) {
  const auto result = InspectPlanImage(bytes);
  return result.ok() ? "" : result.error().detail;
}

TEST(FloorPlanTest, APngIsAPlanOfItsPixelSize) {
  const auto image = InspectPlanImage(Png(1200, 600));
  ASSERT_TRUE(image.ok()) << image.error().detail;
  EXPECT_EQ(image.value().format, PlanFormat::kPng);
  EXPECT_EQ(image.value().width_px, 1200);
  EXPECT_EQ(image.value().height_px, 600);
  EXPECT_EQ(MediaType(PlanFormat::kPng), "image/png");
}

TEST(FloorPlanTest, AnSvgIsSizedByItsViewBoxElseByWidthAndHeight) {
  const auto by_view_box = InspectPlanImage(Svg("viewBox=\"0 0 2400 1200\" width=\"100%\""));
  ASSERT_TRUE(by_view_box.ok()) << by_view_box.error().detail;
  EXPECT_EQ(by_view_box.value().width_px, 2400);
  EXPECT_EQ(by_view_box.value().height_px, 1200);
  const auto by_size = InspectPlanImage("\xEF\xBB\xBF" + Svg("width='841mm' height='594mm'"));
  ASSERT_TRUE(by_size.ok()) << by_size.error().detail;
  EXPECT_EQ(by_size.value().format, PlanFormat::kSvg);
  EXPECT_EQ(by_size.value().width_px, 841);
  EXPECT_EQ(by_size.value().height_px, 594);
  // Links inside the file and embedded data are fine.
  EXPECT_EQ(Refusal(Svg("viewBox=\"0 0 10 10\"", "<use href=\"#door\"/><image href=\"data:image/png;base64,AA\"/>")), "");
}

TEST(FloorPlanTest, WhatIsNotADrawingIsRefusedWithItsReason) {
  EXPECT_NE(Refusal("building,floor\nT1,0\n").find("neither PNG nor SVG"), std::string::npos);
  EXPECT_NE(Refusal("<html><svg viewBox=\"0 0 1 1\"></svg></html>").find("neither PNG nor SVG"), std::string::npos);
  EXPECT_NE(Refusal("\xFF\xD8\xFF\xE0 jpeg").find("JPEG"), std::string::npos);
  EXPECT_NE(Refusal(Svg("id=\"plan\"")).find("shape is unknown"), std::string::npos);
  EXPECT_NE(Refusal(Svg("viewBox=\"0 0 0 10\"")).find("shape is unknown"), std::string::npos);
  EXPECT_NE(Refusal(Png(0, 10)).find("no size"), std::string::npos);
  EXPECT_NE(Refusal(std::string(kMaxPlanBytes + 1, ' ')).find("at most"), std::string::npos);
}

TEST(FloorPlanTest, AnSvgThatCouldRunScriptOrLoadFromElsewhereIsRefused) {
  const std::string box = "viewBox=\"0 0 10 10\"";
  EXPECT_NE(Refusal(Svg(box, "<script>alert(1)</script>")).find("<script"), std::string::npos);
  EXPECT_NE(Refusal(Svg(box + " onload=\"alert(1)\"")).find("event handler"), std::string::npos);
  EXPECT_NE(Refusal(Svg(box, "<rect\nONCLICK = 'x()'/>")).find("event handler"), std::string::npos);
  EXPECT_NE(Refusal(Svg(box, "<foreignObject><p>x</p></foreignObject>")).find("foreignobject"), std::string::npos);
  EXPECT_NE(Refusal(Svg(box, "<a href=\"javascript:x()\">a</a>")).find("javascript"), std::string::npos);
  EXPECT_NE(Refusal(Svg(box, "<image xlink:href = 'https://example.com/x.png'/>")).find("elsewhere"), std::string::npos);
  EXPECT_NE(Refusal(Svg(box, "<rect style=\"fill:url(http://x/y)\"/>")).find("elsewhere"), std::string::npos);
  EXPECT_NE(Refusal(Svg(box, "<style>@import 'x.css';</style>")).find("imports"), std::string::npos);
  // Words are not attributes.
  EXPECT_EQ(Refusal(Svg(box, "<text>on = the href of</text>")), "");
}

TEST(FloorPlanTest, APlanCoversItsRectangleOnTheSite) {
  FloorPlan plan;
  plan.image = {PlanFormat::kSvg, 2000, 1000};
  plan.origin_x_m = 390;
  plan.origin_y_m = -10;
  plan.width_m = 260;
  EXPECT_DOUBLE_EQ(plan.HeightM(), 130);
  EXPECT_TRUE(plan.Covers(390, -10));
  EXPECT_TRUE(plan.Covers(650, 120));
  EXPECT_FALSE(plan.Covers(389.9, 0));
  EXPECT_FALSE(plan.Covers(400, 120.1));
  EXPECT_FALSE(PlacementProblem(plan));
  plan.width_m = 0;
  EXPECT_TRUE(PlacementProblem(plan));
  plan.width_m = 10;
  plan.origin_x_m = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(PlacementProblem(plan));
}

TEST(FloorPlanTest, AMarkerShowsWhatMostNeedsAttention) {
  EXPECT_EQ(MarkerStateOf(ComplianceState::kCompliant, 1, 1), MarkerState::kAlarm);
  EXPECT_EQ(MarkerStateOf(ComplianceState::kOverdue, 2, 0), MarkerState::kOpenDefect);
  EXPECT_EQ(MarkerStateOf(ComplianceState::kOverdue, 0, 0), MarkerState::kOverdue);
  EXPECT_EQ(MarkerStateOf(ComplianceState::kNeverInspected, 0, 0), MarkerState::kNeverInspected);
  EXPECT_EQ(MarkerStateOf(ComplianceState::kDueSoon, 0, 0), MarkerState::kDueSoon);
  EXPECT_EQ(MarkerStateOf(ComplianceState::kCompliant, 0, 0), MarkerState::kCompliant);
  EXPECT_EQ(ToString(MarkerState::kOpenDefect), "open_defect");
}

TEST(FloorPlanTest, TheFloorMapPutsAssetsOnOrOffThePlanAndCountsBoth) {
  FloorPlan plan;
  plan.image = {PlanFormat::kPng, 100, 50};
  plan.width_m = 100;
  std::vector<MapMarker> assets(3);
  assets[0].asset_id = "on", assets[0].x_m = 10, assets[0].y_m = 10, assets[0].open_alarms = 1;
  assets[1].asset_id = "edge", assets[1].x_m = 100, assets[1].y_m = 50;
  assets[1].schedule.state = ComplianceState::kOverdue;
  assets[2].asset_id = "off", assets[2].x_m = 10, assets[2].y_m = 51;
  const FloorMap map = BuildFloorMap(plan, assets);
  ASSERT_EQ(map.markers.size(), 2u);
  EXPECT_EQ(map.markers[0].state, MarkerState::kAlarm);
  EXPECT_EQ(map.markers[1].state, MarkerState::kOverdue);
  ASSERT_EQ(map.off_plan.size(), 1u);
  EXPECT_EQ(map.off_plan[0].asset_id, "off");
  EXPECT_EQ(map.counts[static_cast<std::size_t>(MarkerState::kAlarm)], 1);
  EXPECT_EQ(map.counts[static_cast<std::size_t>(MarkerState::kOverdue)], 1);
  EXPECT_EQ(map.counts[static_cast<std::size_t>(MarkerState::kNeverInspected)], 1);
}

}  // namespace
}  // namespace fieldproof::core
