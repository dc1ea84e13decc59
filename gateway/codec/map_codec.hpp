#pragma once
// The JSON of floor plans and floor maps (docs/openapi.yaml: PlanList, FloorMap).
#include <span>
#include <string>
#include <string_view>

#include "gateway/core/floor_plan.hpp"

namespace fieldproof::codec {

std::string EncodePlanList(std::string_view site, std::span<const core::PlanSummary> plans);
std::string EncodeFloorMap(const core::FloorMap& map);

}  // namespace fieldproof::codec
