#pragma once
// Floor plans (docs/coverage.md, "Floor plans"): a drawing of one floor of a building, SVG or
// PNG, placed on the site's coordinates in metres, the same x_m and y_m the asset registry and
// the travel rule use (x to the east, y to the south, one origin per site). A plan's top-left
// corner sits at (origin_x_m, origin_y_m) and it is width_m wide; its height follows from the
// drawing's aspect ratio. The floor map puts each asset of that floor on its plan, coloured by
// what most needs attention. Pure.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/coverage.hpp"
#include "gateway/core/rejection.hpp"

namespace fieldproof::core {

enum class PlanFormat { kSvg, kPng };
std::string_view MediaType(PlanFormat format);  // image/svg+xml | image/png

inline constexpr std::size_t kMaxPlanBytes = 10 * 1024 * 1024;

struct PlanImage {
  PlanFormat format = PlanFormat::kSvg;
  double width_px = 0;  // SVG: the viewBox, else the width and height attributes.
  double height_px = 0;
};

// What `bytes` are, told by their content, or why they cannot be a plan: not PNG or SVG, no
// size, too large, or an SVG that could run script or load from elsewhere (a plan is shown
// in the dashboard's origin and embedded in reports an auditor files).
Decision<PlanImage> InspectPlanImage(std::string_view bytes);

struct FloorPlan {
  std::string site;
  std::string building;
  int floor = 0;
  PlanImage image;
  double origin_x_m = 0;
  double origin_y_m = 0;
  double width_m = 0;
  UnixMillis imported_at = 0;
  std::string imported_by;

  double HeightM() const { return image.width_px > 0 ? width_m * image.height_px / image.width_px : 0; }
  bool Covers(double x_m, double y_m) const;
};

// Why a plan's placement is unusable (a width that is not positive, a number that is not
// finite), or nullopt.
std::optional<std::string> PlacementProblem(const FloorPlan& plan);

struct PlanSummary {
  FloorPlan plan;
  std::int64_t assets = 0;  // On that floor, as far as the asker sees.
};

// Where an asset is, from a positions file.
struct AssetPosition {
  std::string asset_id;
  double x_m = 0;
  double y_m = 0;
};

// Most urgent first: a marker takes the first that holds.
enum class MarkerState { kAlarm, kOpenDefect, kOverdue, kNeverInspected, kDueSoon, kCompliant };
inline constexpr std::size_t kMarkerStateCount = 6;
// alarm | open_defect | overdue | never_inspected | due_soon | compliant
std::string_view ToString(MarkerState state);
MarkerState MarkerStateOf(ComplianceState schedule, std::int64_t open_work_orders,
                          std::int64_t open_alarms);

struct MapMarker {
  std::string asset_id;
  std::string location;
  std::string asset_type;
  double x_m = 0;
  double y_m = 0;
  AssetCompliance schedule;
  std::int64_t open_work_orders = 0;
  std::int64_t open_alarms = 0;
  MarkerState state = MarkerState::kCompliant;
};

struct FloorMap {
  FloorPlan plan;
  std::vector<MapMarker> markers;        // On the plan.
  std::vector<MapMarker> off_plan;       // The floor's assets whose position the plan misses.
  std::array<std::int64_t, kMarkerStateCount> counts{};  // Of both, by MarkerState.
};

// Sorts the floor's assets onto the plan or off it, each with its state and the counts.
FloorMap BuildFloorMap(FloorPlan plan, std::vector<MapMarker> assets);

}  // namespace fieldproof::core
