#pragma once
// Floor maps for the HTML coverage report: each plan with every asset on it as a coloured
// dot, in inline SVG with the drawing embedded as a data: URI, so the page stays one file
// without scripts.
#include <span>
#include <string>

#include "gateway/core/floor_plan.hpp"

namespace fieldproof::exporter {

struct PlanDrawing {
  core::FloorMap map;
  std::string image;  // The drawing's bytes as imported.
};

// A <section> with one figure per plan; empty when there are none.
std::string FloorMapsSection(std::span<const PlanDrawing> drawings);

}  // namespace fieldproof::exporter
