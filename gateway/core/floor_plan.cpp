#include "gateway/core/floor_plan.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "gateway/core/image.hpp"

namespace fieldproof::core {
namespace {

Refusal Invalid(std::string detail) { return {RefusalKind::kInvalid, std::move(detail)}; }

std::string Lower(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Skips the prologue an SVG file may start with: a byte-order mark, an XML declaration,
// comments, a doctype. Returns where the first element starts, or npos.
std::size_t RootStart(std::string_view text) {
  std::size_t at = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (true) {
    while (at < text.size() && IsSpace(text[at])) ++at;
    const std::string_view rest = text.substr(std::min(at, text.size()));
    std::string_view close;
    if (rest.starts_with("<?")) close = "?>";
    else if (rest.starts_with("<!--")) close = "-->";
    else if (rest.starts_with("<!")) close = ">";
    else return rest.starts_with("<") ? at : std::string_view::npos;
    const std::size_t end = text.find(close, at);
    if (end == std::string_view::npos) return end;
    at = end + close.size();
  }
}

// The value of attribute `name` in a start tag's text, or nullopt.
std::optional<std::string> Attribute(std::string_view tag, std::string_view name) {
  for (std::size_t at = tag.find(name); at != std::string_view::npos; at = tag.find(name, at + 1)) {
    if (at == 0 || !IsSpace(tag[at - 1])) continue;
    std::size_t i = at + name.size();
    while (i < tag.size() && IsSpace(tag[i])) ++i;
    if (i >= tag.size() || tag[i] != '=') continue;
    ++i;
    while (i < tag.size() && IsSpace(tag[i])) ++i;
    if (i >= tag.size() || (tag[i] != '"' && tag[i] != '\'')) continue;
    const std::size_t end = tag.find(tag[i], i + 1);
    if (end == std::string_view::npos) return std::nullopt;
    return std::string(tag.substr(i + 1, end - i - 1));
  }
  return std::nullopt;
}

// The numbers of a viewBox or a length ("1200", "1200px", "841mm": the unit is the same on
// both sides, and only the ratio and a number to scale by matter).
std::vector<double> Numbers(std::string_view text) {
  std::vector<double> numbers;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (IsSpace(text[i]) || text[i] == ',')) ++i;
    if (i >= text.size()) break;
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data() + i, text.data() + text.size(), value);
    if (ec != std::errc() || !std::isfinite(value)) return {};
    numbers.push_back(value);
    i = static_cast<std::size_t>(end - text.data());
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
  }
  return numbers;
}

// What in an SVG could run script or fetch from elsewhere once a browser shows it.
std::optional<std::string> ActiveContent(const std::string& lower) {
  for (std::string_view element : {"<script", "<foreignobject", "<iframe", "<!entity"}) {
    if (lower.find(element) != std::string::npos) return "it contains " + std::string(element) + ">";
  }
  if (lower.find("javascript:") != std::string::npos) return "it contains a javascript: link";
  if (lower.find("@import") != std::string::npos) return "its style imports from elsewhere";
  for (std::size_t at = lower.find("on"); at != std::string::npos; at = lower.find("on", at + 2)) {
    if (at == 0 || !IsSpace(lower[at - 1])) continue;
    std::size_t i = at + 2;
    while (i < lower.size() && std::isalpha(static_cast<unsigned char>(lower[i]))) ++i;
    while (i < lower.size() && IsSpace(lower[i])) ++i;
    if (i > at + 2 && i < lower.size() && lower[i] == '=') {
      return "it has an event handler attribute (" + lower.substr(at, std::min<std::size_t>(i - at, 40)) + ")";
    }
  }
  // A reference may point into the file (#id) or carry its data along; nothing else.
  for (std::string_view opener : {"href", "url("}) {
    for (std::size_t at = lower.find(opener); at != std::string::npos; at = lower.find(opener, at + 1)) {
      std::size_t i = at + opener.size();
      while (i < lower.size() && IsSpace(lower[i])) ++i;
      if (opener == "href") {
        if (i >= lower.size() || lower[i] != '=') continue;  // The word, not an attribute.
        ++i;
      }
      while (i < lower.size() && (IsSpace(lower[i]) || lower[i] == '"' || lower[i] == '\'')) ++i;
      const std::string_view target = std::string_view(lower).substr(i);
      if (!target.starts_with("#") && !target.starts_with("data:")) {
        return "it refers to " + std::string(target.substr(0, std::min<std::size_t>(target.find_first_of("\"') "), 60))) +
               " (a plan must not load anything from elsewhere)";
      }
    }
  }
  return std::nullopt;
}

Decision<PlanImage> InspectSvg(std::string_view bytes) {
  const std::size_t root = RootStart(bytes);
  if (root == std::string_view::npos || !bytes.substr(root).starts_with("<svg") ||
      root + 4 >= bytes.size() || !(IsSpace(bytes[root + 4]) || bytes[root + 4] == '>')) {
    return Invalid("not a plan: neither PNG nor SVG (an SVG's first element must be <svg>)");
  }
  const std::string lower = Lower(bytes);
  if (auto active = ActiveContent(lower)) return Invalid("SVG refused: " + *active);
  const std::size_t tag_end = bytes.find('>', root);
  if (tag_end == std::string_view::npos) return Invalid("SVG refused: its <svg> tag never ends");
  const std::string_view tag = bytes.substr(root, tag_end - root);
  PlanImage image{PlanFormat::kSvg, 0, 0};
  if (const auto view_box = Attribute(tag, "viewBox")) {
    const auto n = Numbers(*view_box);
    if (n.size() == 4) image.width_px = n[2], image.height_px = n[3];
  }
  const auto width = Attribute(tag, "width"), height = Attribute(tag, "height");
  if (image.width_px <= 0 && width && height) {
    const auto w = Numbers(*width), h = Numbers(*height);
    if (w.size() == 1 && h.size() == 1) image.width_px = w[0], image.height_px = h[0];
  }
  if (!(image.width_px > 0 && image.height_px > 0)) {
    return Invalid("SVG refused: its <svg> element has no viewBox and no width and height, so its shape is unknown");
  }
  return image;
}

std::uint32_t BigEndian32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = value << 8 | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

}  // namespace

std::string_view MediaType(PlanFormat format) {
  return format == PlanFormat::kPng ? "image/png" : "image/svg+xml";
}

Decision<PlanImage> InspectPlanImage(std::string_view bytes) {
  if (bytes.size() > kMaxPlanBytes) {
    return Invalid("plan of " + std::to_string(bytes.size()) + " bytes; at most " +
                   std::to_string(kMaxPlanBytes) + " (10 MiB)");
  }
  if (SniffImage(bytes) == ImageType::kPng) {
    const double width = BigEndian32(bytes, 16), height = BigEndian32(bytes, 20);
    if (width <= 0 || height <= 0) return Invalid("PNG refused: its header gives no size");
    return PlanImage{PlanFormat::kPng, width, height};
  }
  if (SniffImage(bytes) == ImageType::kJpeg) return Invalid("a JPEG; plans are SVG or PNG");
  return InspectSvg(bytes);
}

bool FloorPlan::Covers(double x_m, double y_m) const {
  return x_m >= origin_x_m && x_m <= origin_x_m + width_m && y_m >= origin_y_m &&
         y_m <= origin_y_m + HeightM();
}

std::optional<std::string> PlacementProblem(const FloorPlan& plan) {
  if (!std::isfinite(plan.origin_x_m) || !std::isfinite(plan.origin_y_m)) return "the origin must be finite";
  if (!std::isfinite(plan.width_m) || plan.width_m <= 0 || plan.width_m > 100'000) {
    return "width_m must be more than 0 and at most 100000 metres";
  }
  return std::nullopt;
}

std::string_view ToString(MarkerState state) {
  switch (state) {
    case MarkerState::kAlarm: return "alarm";
    case MarkerState::kOpenDefect: return "open_defect";
    case MarkerState::kOverdue: return "overdue";
    case MarkerState::kNeverInspected: return "never_inspected";
    case MarkerState::kDueSoon: return "due_soon";
    case MarkerState::kCompliant: return "compliant";
  }
  return "compliant";
}

MarkerState MarkerStateOf(ComplianceState schedule, std::int64_t open_work_orders,
                          std::int64_t open_alarms) {
  if (open_alarms > 0) return MarkerState::kAlarm;
  if (open_work_orders > 0) return MarkerState::kOpenDefect;
  switch (schedule) {
    case ComplianceState::kOverdue: return MarkerState::kOverdue;
    case ComplianceState::kNeverInspected: return MarkerState::kNeverInspected;
    case ComplianceState::kDueSoon: return MarkerState::kDueSoon;
    case ComplianceState::kCompliant: return MarkerState::kCompliant;
  }
  return MarkerState::kCompliant;
}

FloorMap BuildFloorMap(FloorPlan plan, std::vector<MapMarker> assets) {
  FloorMap map;
  for (auto& marker : assets) {
    marker.state = MarkerStateOf(marker.schedule.state, marker.open_work_orders, marker.open_alarms);
    ++map.counts[static_cast<std::size_t>(marker.state)];
    (plan.Covers(marker.x_m, marker.y_m) ? map.markers : map.off_plan).push_back(std::move(marker));
  }
  map.plan = std::move(plan);
  return map;
}

}  // namespace fieldproof::core
