#pragma once
// Floor plans for a generated site: one SVG drawing per building and floor that has assets
// (walls, corridors along the rows of shutters, rooms, stairs, a scale bar), placed so that
// every asset of the floor lies on it. Pure: the caller writes the files.
#include <string>
#include <vector>

#include "firmware-sim/site_generator.hpp"
#include "gateway/codec/registry_csv.hpp"

namespace fieldproof::sim {

struct FloorDrawing {
  codec::PlanListRow placement;  // file: "<building>-F<floor>.svg"
  std::string svg;
};

std::vector<FloorDrawing> DrawFloorPlans(const Site& site);

}  // namespace fieldproof::sim
