#include "firmware-sim/floor_plans.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace fieldproof::sim {
namespace {

// Metres of plan around the floor's assets: beside them, and above (the title) and below
// (the scale bar) the floor's walls.
constexpr double kSide = 10;
constexpr double kHead = 20;
constexpr double kFoot = 16;
constexpr double kWallGap = 5;  // From the plan's edge to the outer wall.
constexpr double kPxPerMetre = 10;  // The drawing's units.

struct Extent {
  double min_x = 1e18, min_y = 1e18, max_x = -1e18, max_y = -1e18;
  std::set<double> rows;  // The y of each row of assets: a corridor runs along it.
  void Add(const core::Asset& a) {
    min_x = std::min(min_x, a.x_m), max_x = std::max(max_x, a.x_m);
    min_y = std::min(min_y, a.y_m), max_y = std::max(max_y, a.y_m);
    rows.insert(a.y_m);
  }
};

std::string Px(double metres) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", metres * kPxPerMetre);
  return buf;
}

std::string Rect(double x, double y, double w, double h, const char* style) {
  return "<rect x=\"" + Px(x) + "\" y=\"" + Px(y) + "\" width=\"" + Px(w) + "\" height=\"" + Px(h) +
         "\" class=\"" + style + "\"/>\n";
}

// Coordinates inside the drawing are metres from its top-left corner.
std::string Draw(const std::string& building, int floor, const Extent& e, double width, double height) {
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + Px(width) + " " + Px(height) +
                    "\" width=\"" + Px(width) + "\" height=\"" + Px(height) + "\">\n"
                    "<style>.wall{fill:#f4f1ea;stroke:#5b5750;stroke-width:6}.room{fill:#e7e2d6;stroke:#9a958b;"
                    "stroke-width:2}.corridor{fill:#fbfaf7}.core{fill:#cfc9bb;stroke:#5b5750;stroke-width:2}"
                    "text{font-family:sans-serif;fill:#5b5750}</style>\n";
  const double left = kWallGap, top = kHead - kWallGap, right = width - kWallGap, bottom = height - kFoot + kWallGap;
  svg += "<text x=\"" + Px(left) + "\" y=\"" + Px(top - 4) + "\" font-size=\"60\">" + building + " \u00b7 Level " +
         std::to_string(floor) + "</text>\n";
  svg += Rect(left, top, right - left, bottom - top, "wall");
  // Rooms fill the space between corridors, divided every 20 m.
  std::vector<double> rows(e.rows.begin(), e.rows.end());
  double above = top + 1;
  for (std::size_t i = 0; i <= rows.size(); ++i) {
    const double below = i < rows.size() ? rows[i] - e.min_y + kHead - 2 : bottom - 1;
    for (double x = left + 1; below - above > 4 && x < right - 1; x += 20) {
      svg += Rect(x, above, std::min(20.0, right - 1 - x), below - above, "room");
    }
    if (i < rows.size()) svg += Rect(left + 1, below, right - left - 2, 4, "corridor");
    above = below + 4;
  }
  for (double x : {left - 4, right - 4}) svg += Rect(x, top - 4, 8, 8, "core");  // Stairs.
  // A 50 m scale bar below the walls.
  svg += Rect(left, height - 6, 50, 1.2, "core");
  svg += "<text x=\"" + Px(left + 52) + "\" y=\"" + Px(height - 4.6) + "\" font-size=\"40\">50 m</text>\n";
  return svg + "</svg>\n";
}

}  // namespace

std::vector<FloorDrawing> DrawFloorPlans(const Site& site) {
  std::map<std::pair<std::string, int>, Extent> floors;
  for (const auto& a : site.assets) floors[{a.building, a.floor}].Add(a);
  std::vector<FloorDrawing> drawings;
  for (const auto& [key, extent] : floors) {
    const auto& [building, floor] = key;
    const double width = extent.max_x - extent.min_x + 2 * kSide;
    const double height = extent.max_y - extent.min_y + kHead + kFoot;
    FloorDrawing d;
    d.placement = {building, floor, building + "-F" + std::to_string(floor) + ".svg",
                   extent.min_x - kSide, extent.min_y - kHead, width};
    d.svg = Draw(building, floor, extent, width, height);
    drawings.push_back(std::move(d));
  }
  return drawings;
}

}  // namespace fieldproof::sim
