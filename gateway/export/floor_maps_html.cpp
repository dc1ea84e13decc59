#include "gateway/export/floor_maps_html.hpp"

#include <cstdio>

#include "gateway/core/text.hpp"
#include "gateway/export/xml_writer.hpp"

namespace fieldproof::exporter {
namespace {

// By core::MarkerState, as in the dashboard.
constexpr const char* kMarkerColors[] = {"#8e24aa", "#e65100", "#c62828", "#57606a", "#f9a825", "#2e7d32"};
constexpr const char* kMarkerWords[] = {"alarm", "open defect", "overdue", "never inspected", "due soon", "compliant"};

std::string Num(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

std::string Legend(const core::FloorMap& map) {
  std::string h = "<p class=\"legend\">";
  for (std::size_t i = 0; i < core::kMarkerStateCount; ++i) {
    h += "<span style=\"background:" + std::string(kMarkerColors[i]) + "\"></span>" + kMarkerWords[i] + " " +
         std::to_string(map.counts[i]);
  }
  return h + "</p>\n";
}

std::string Figure(const PlanDrawing& d) {
  const core::FloorPlan& p = d.map.plan;
  const std::string floor = EscapeXml(p.building) + " floor " + std::to_string(p.floor);
  const std::string box = Num(p.origin_x_m) + " " + Num(p.origin_y_m) + " " + Num(p.width_m) + " " + Num(p.HeightM());
  // A marker's size in metres, so that it reads as a dot on a page 900 pixels wide.
  const std::string r = Num(p.width_m / 900 * 4);
  std::string h = "<figure><figcaption><b>" + floor + "</b>: " + std::to_string(d.map.markers.size()) +
                  " assets on the plan</figcaption>\n" + Legend(d.map);
  h += "<svg class=\"plan\" viewBox=\"" + box + "\" width=\"900\" style=\"max-width:100%;height:auto\" role=\"img\" aria-label=\"" + floor + "\">\n";
  h += "<image href=\"data:" + std::string(core::MediaType(p.image.format)) + ";base64," + core::Base64(d.image) +
       "\" x=\"" + Num(p.origin_x_m) + "\" y=\"" + Num(p.origin_y_m) + "\" width=\"" + Num(p.width_m) +
       "\" height=\"" + Num(p.HeightM()) + "\" preserveAspectRatio=\"none\"/>\n";
  for (const auto& m : d.map.markers) {
    const auto state = static_cast<std::size_t>(m.state);
    h += "<circle class=\"s" + std::to_string(state) + "\" cx=\"" + Num(m.x_m) + "\" cy=\"" + Num(m.y_m) +
         "\" r=\"" + r + "\"><title>" + EscapeXml(m.asset_id) + ": " + kMarkerWords[state] + "</title></circle>\n";
  }
  h += "</svg>\n";
  if (!d.map.off_plan.empty()) {
    h += "<p class=\"sub\">" + std::to_string(d.map.off_plan.size()) +
         " assets of this floor lie outside the plan, first " + EscapeXml(d.map.off_plan.front().asset_id) + ".</p>\n";
  }
  return h + "</figure>\n";
}

}  // namespace

std::string FloorMapsSection(std::span<const PlanDrawing> drawings) {
  if (drawings.empty()) return {};
  std::string h = "<section><h2>Floor maps</h2><p class=\"sub\">Every asset on its floor's plan, coloured by what "
                  "most needs attention: an open alarm, then an open defect, then its schedule. Hover a dot for "
                  "its asset id.</p>\n<style>svg.plan circle{stroke:#fff;stroke-width:.1}";
  for (std::size_t i = 0; i < core::kMarkerStateCount; ++i) {
    h += ".s" + std::to_string(i) + "{fill:" + kMarkerColors[i] + "}";
  }
  h += "</style>\n";
  for (const auto& d : drawings) h += Figure(d);
  return h + "</section>\n";
}

}  // namespace fieldproof::exporter
