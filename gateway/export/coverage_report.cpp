#include "gateway/export/coverage_report.hpp"

#include <algorithm>
#include <cstdio>

#include "gateway/codec/spreadsheet_csv.hpp"
#include "gateway/core/text.hpp"
#include "gateway/export/xml_writer.hpp"

namespace fieldproof::exporter {
namespace {

std::string Percent(double p) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f", p);
  return text;
}

std::string Day(const std::optional<core::UnixMillis>& t) {
  return t ? core::FormatRfc3339(*t).substr(0, 10) : std::string();
}

std::string Row(const char* label, const core::CoverageCounts& c) {
  char text[200];
  std::snprintf(text, sizeof text, "  %-22s %7lld %9lld %8lld %8lld %7lld %7s %%\n", label,
                static_cast<long long>(c.assets), static_cast<long long>(c.compliant),
                static_cast<long long>(c.due_soon), static_cast<long long>(c.overdue),
                static_cast<long long>(c.never_inspected), Percent(c.PercentCovered()).c_str());
  return text;
}

std::string Header(const char* label) {
  char text[200];
  std::snprintf(text, sizeof text, "  %-22s %7s %9s %8s %8s %7s %9s\n", label, "assets",
                "compliant", "due soon", "overdue", "never", "covered");
  return text;
}

constexpr std::size_t kCountColumns = 6;  // assets ... percent_covered

std::vector<std::string> CountFields(const core::CoverageCounts& c) {
  return {std::to_string(c.assets),          std::to_string(c.compliant),
          std::to_string(c.due_soon),        std::to_string(c.overdue),
          std::to_string(c.never_inspected), Percent(c.PercentCovered())};
}

// Red (0 %) through amber to green (100 %).
std::string Heat(double percent) {
  const double p = std::clamp(percent / 100.0, 0.0, 1.0);
  const int red = p < 0.5 ? 220 : static_cast<int>(220 - (p - 0.5) * 2 * 180);
  const int green = p < 0.5 ? static_cast<int>(60 + p * 2 * 140) : 200;
  char text[16];
  std::snprintf(text, sizeof text, "#%02x%02x50", red, green);
  return text;
}

constexpr const char* kColors[] = {"#2e9d4f", "#e0a526", "#d64541", "#9aa0a6"};  // By state.

}  // namespace

// Registry text (buildings, asset ids and types) goes through PrintableText: the table is
// for a terminal.
std::string WriteCoverageTable(const core::CoverageReport& r) {
  using core::PrintableText;
  const std::string site = PrintableText(r.site);
  std::string out = "Coverage of " + site + " as of " + core::FormatRfc3339(r.as_of) +
                    " (due soon: last " + std::to_string(r.due_soon_days) +
                    " days of the interval)\n\n";
  out += Header("");
  out += Row(("site " + site).c_str(), r.total);
  out += "\n" + Header("building");
  for (const auto& [b, c] : r.by_building) out += Row(PrintableText(b).c_str(), c);
  out += "\n" + Header("building / floor");
  for (const auto& [k, c] : r.by_floor)
    out += Row((PrintableText(k.first) + " / " + std::to_string(k.second)).c_str(), c);
  out += "\n" + Header("asset type");
  for (const auto& [t, c] : r.by_type) out += Row(PrintableText(t).c_str(), c);
  out += "\n" + Header("month");
  for (const auto& p : r.trend) out += Row(p.month.c_str(), p.counts);
  out += "\n  " + std::to_string(r.overdue.size()) + " overdue or never inspected";
  out += r.overdue.size() > 20 ? " (the 20 most overdue):\n" : ":\n";
  for (std::size_t i = 0; i < r.overdue.size() && i < 20; ++i) {
    const auto& o = r.overdue[i];
    char text[300];
    std::snprintf(text, sizeof text, "  %-24s %-6s %3d  %-14s last %-10s due %-10s %5lld days\n",
                  PrintableText(o.asset_id).c_str(), PrintableText(o.building).c_str(), o.floor,
                  PrintableText(o.asset_type).c_str(),
                  o.last_verified ? Day(o.last_verified).c_str() : "never",
                  o.due_at ? Day(o.due_at).c_str() : "-", static_cast<long long>(o.days_overdue));
    out += text;
  }
  char text[200];
  std::snprintf(
      text, sizeof text,
      "\n  last %lld days: %lld verified, %lld with defects, %lld need review, %lld rejected; "
      "%lld reviews open\n",
      static_cast<long long>(r.activity_days), static_cast<long long>(r.activity.verified),
      static_cast<long long>(r.activity.verified_with_defects),
      static_cast<long long>(r.activity.needs_review), static_cast<long long>(r.activity.rejected),
      static_cast<long long>(r.open_reviews));
  out += text;
  return out;
}

// Text columns (building, asset type, location... from the CAFM import) are neutralised
// against formula injection; floors, counts and percentages stay numbers.
std::string WriteCoverageCsv(const core::CoverageReport& r) {
  using Cell = codec::SheetCell;
  std::string out(kCoverageCsvColumns);
  out += "\r\n";
  auto group = [&](const char* scope, const std::string& building, const std::string& floor,
                   const std::string& type, const std::string& month,
                   const core::CoverageCounts& c) {
    std::vector<Cell> cells = {Cell::Text(scope), Cell::Text(building), Cell::Number(floor),
                               Cell::Text(type),  Cell::Text(month),    Cell::Text(""),
                               Cell::Text(""),    Cell::Text(""),       Cell::Text(""),
                               Cell::Number("")};
    for (auto& v : CountFields(c)) cells.push_back(Cell::Number(std::move(v)));
    codec::AppendSheetRecord(out, cells);
  };
  group("site", "", "", "", "", r.total);
  for (const auto& [b, c] : r.by_building) group("building", b, "", "", "", c);
  for (const auto& [k, c] : r.by_floor)
    group("floor", k.first, std::to_string(k.second), "", "", c);
  for (const auto& [t, c] : r.by_type) group("asset_type", "", "", t, "", c);
  for (const auto& p : r.trend) group("month", "", "", "", p.month, p.counts);
  for (const auto& o : r.overdue) {
    std::vector<Cell> cells = {Cell::Text(o.due_at ? "overdue_asset" : "never_inspected_asset"),
                               Cell::Text(o.building),
                               Cell::Number(std::to_string(o.floor)),
                               Cell::Text(o.asset_type),
                               Cell::Text(""),
                               Cell::Text(o.asset_id),
                               Cell::Text(o.location),
                               Cell::Text(Day(o.last_verified)),
                               Cell::Text(Day(o.due_at)),
                               Cell::Number(std::to_string(o.days_overdue))};
    cells.resize(cells.size() + kCountColumns, Cell::Number(""));
    codec::AppendSheetRecord(out, cells);
  }
  return out;
}

namespace {

std::string E(const std::string& text) { return EscapeXml(text); }

std::string HtmlHead(const core::CoverageReport& r) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Coverage " +
      E(r.site) + " " + E(core::FormatRfc3339(r.as_of).substr(0, 10)) + "</title>\n";
  h += "<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}"
       "h1{margin-bottom:0}.sub{color:#666}.big{font-size:42px;font-weight:600}"
       "table{border-collapse:collapse;margin:1em 0}td,th{padding:3px 10px;border-bottom:1px solid "
       "#ddd;"
       "text-align:right}td:first-child,th:first-child{text-align:left}"
       ".legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 "
       "14px;vertical-align:middle}"
       "section{margin:2em 0}</style></head><body>\n";
  return h;
}

// The title, what "covered" means, the share covered and the counts, and the legend.
std::string Summary(const core::CoverageReport& r) {
  std::string h = "<h1>Inspection coverage, site " + E(r.site) + "</h1>\n<p class=\"sub\">As of " +
                  E(core::FormatRfc3339(r.as_of)) +
                  ". An asset is covered when its last verified inspection is "
                  "within its interval; due soon in the last " +
                  std::to_string(r.due_soon_days) +
                  " days of it. Generated by fieldproof from the hash-chained maintenance "
                  "records.</p>\n";
  h += "<section><div class=\"big\">" + Percent(r.total.PercentCovered()) +
       " % covered</div><div>" + std::to_string(r.total.assets) +
       " assets: " + std::to_string(r.total.compliant) + " compliant, " +
       std::to_string(r.total.due_soon) + " due soon, " + std::to_string(r.total.overdue) +
       " overdue, " + std::to_string(r.total.never_inspected) + " never inspected. " +
       std::to_string(r.open_reviews) + " inspections await review.</div>\n<div class=\"legend\">";
  const char* names[] = {"compliant", "due soon", "overdue", "never inspected"};
  for (int i = 0; i < 4; ++i)
    h += "<span style=\"background:" + std::string(kColors[i]) + "\"></span>" + names[i];
  h += "</div></section>\n";
  return h;
}

// A stacked bar per building: compliant, due soon, overdue, never inspected.
std::string BuildingBars(const core::CoverageReport& r) {
  std::string h = "<section><h2>By building</h2>\n";
  const int bar_w = 600, row_h = 26;
  h += "<svg width=\"" + std::to_string(bar_w + 220) + "\" height=\"" +
       std::to_string(row_h * static_cast<int>(r.by_building.size()) + 10) +
       "\" role=\"img\" "
       "aria-label=\"coverage by building\">\n";
  int y = 5;
  for (const auto& [b, c] : r.by_building) {
    h += "<text x=\"0\" y=\"" + std::to_string(y + 17) + "\">" + E(b) + "</text>\n";
    const std::int64_t parts[] = {c.compliant, c.due_soon, c.overdue, c.never_inspected};
    double x = 80;
    for (int i = 0; i < 4; ++i) {
      const double w = c.assets ? static_cast<double>(bar_w) * static_cast<double>(parts[i]) /
                                      static_cast<double>(c.assets)
                                : 0;
      char rect[200];
      std::snprintf(rect, sizeof rect,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"/>\n", x, y,
                    w, kColors[i]);
      h += rect;
      x += w;
    }
    h += "<text x=\"" + std::to_string(bar_w + 90) + "\" y=\"" + std::to_string(y + 17) + "\">" +
         Percent(c.PercentCovered()) + " % of " + std::to_string(c.assets) + "</text>\n";
    y += row_h;
  }
  h += "</svg></section>\n";
  return h;
}

// Buildings as columns, floors as rows (top floor first), each cell the share covered.
std::string FloorHeatMap(const core::CoverageReport& r) {
  int min_floor = 0, max_floor = 0;
  bool first = true;
  for (const auto& [k, c] : r.by_floor) {
    min_floor = first ? k.second : std::min(min_floor, k.second);
    max_floor = first ? k.second : std::max(max_floor, k.second);
    first = false;
  }
  std::string h =
      "<section><h2>By floor</h2><p class=\"sub\">Share of assets covered, per building (columns) "
      "and "
      "floor (rows, top floor first).</p>\n";
  const int cell_w = 90, cell_h = 30;
  const int floors = first ? 0 : max_floor - min_floor + 1;
  h += "<svg width=\"" + std::to_string(60 + cell_w * static_cast<int>(r.by_building.size())) +
       "\" height=\"" + std::to_string(30 + cell_h * floors) +
       "\" role=\"img\" aria-label=\"coverage by floor\">\n";
  int col = 0;
  for (const auto& [b, c] : r.by_building) {
    const int x = 60 + col * cell_w;
    h += "<text x=\"" + std::to_string(x + cell_w / 2) + "\" y=\"18\" text-anchor=\"middle\">" +
         E(b) + "</text>\n";
    for (int f = min_floor; f <= max_floor; ++f) {
      const int yy = 25 + (max_floor - f) * cell_h;
      if (col == 0) {
        h += "<text x=\"0\" y=\"" + std::to_string(yy + 20) + "\">floor " + std::to_string(f) +
             "</text>\n";
      }
      const auto it = r.by_floor.find({b, f});
      if (it == r.by_floor.end()) continue;
      const double p = it->second.PercentCovered();
      h += "<rect x=\"" + std::to_string(x + 2) + "\" y=\"" + std::to_string(yy) + "\" width=\"" +
           std::to_string(cell_w - 4) + "\" height=\"" + std::to_string(cell_h - 4) + "\" fill=\"" +
           Heat(p) + "\"><title>" + E(b) + " floor " + std::to_string(f) + ": " +
           std::to_string(it->second.assets) + " assets</title></rect>\n";
      h += "<text x=\"" + std::to_string(x + cell_w / 2) + "\" y=\"" + std::to_string(yy + 18) +
           "\" text-anchor=\"middle\" fill=\"#fff\">" + Percent(p) + " %</text>\n";
    }
    ++col;
  }
  h += "</svg></section>\n";
  return h;
}

// The share covered at the end of each month, as a line.
std::string TrendChart(const core::CoverageReport& r) {
  std::string h = "<section><h2>Monthly trend</h2>\n";
  const int tw = 640, th = 200, n = static_cast<int>(r.trend.size());
  auto x_of = [&](int i) { return 40.0 + (n > 1 ? i * static_cast<double>(tw) / (n - 1) : 0); };
  h += "<svg width=\"" + std::to_string(tw + 90) + "\" height=\"" + std::to_string(th + 40) +
       "\" role=\"img\" aria-label=\"coverage trend\">\n<polyline fill=\"none\" stroke=\"#2e6fd6\" "
       "stroke-width=\"2\" "
       "points=\"";
  for (int i = 0; i < n; ++i) {
    char pt[64];
    std::snprintf(
        pt, sizeof pt, "%.1f,%.1f ", x_of(i),
        10.0 + th * (1 - r.trend[static_cast<std::size_t>(i)].counts.PercentCovered() / 100.0));
    h += pt;
  }
  h += "\"/>\n";
  for (int pct : {0, 50, 100}) {
    h += "<text x=\"0\" y=\"" + std::to_string(14 + th * (100 - pct) / 100) + "\">" +
         std::to_string(pct) + " %</text>\n";
  }
  for (int i = 0; i < n; ++i) {
    char label[160];
    std::snprintf(label, sizeof label,
                  "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>\n",
                  x_of(i), th + 30, E(r.trend[static_cast<std::size_t>(i)].month).c_str());
    h += label;
  }
  h += "</svg></section>\n";
  return h;
}

std::string AssetTypeTable(const core::CoverageReport& r) {
  std::string h =
      "<section><h2>By asset type</h2><table><tr><th>asset type</th><th>assets</th>"
      "<th>compliant</th><th>due soon</th><th>overdue</th><th>never</th><th>covered</th></tr>\n";
  for (const auto& [type, c] : r.by_type) {
    h += "<tr><td>" + E(type) + "</td>";
    for (const auto& v : CountFields(c)) h += "<td>" + v + "</td>";
    h += "</tr>\n";
  }
  h += "</table></section>\n";
  return h;
}

// The most overdue first; the CSV lists all.
std::string OverdueTable(const core::CoverageReport& r) {
  constexpr std::size_t kShown = 200;
  std::string h =
      "<section><h2>Overdue and never inspected (" + std::to_string(r.overdue.size()) + ")</h2>";
  if (r.overdue.size() > kShown) {
    h += "<p class=\"sub\">The 200 most overdue; the CSV lists all.</p>";
  }
  h += "<table><tr><th>asset</th><th>building</th><th>floor</th><th>location</th><th>type</th>"
       "<th>last verified</th><th>due</th><th>days overdue</th></tr>\n";
  for (std::size_t i = 0; i < r.overdue.size() && i < kShown; ++i) {
    const auto& o = r.overdue[i];
    h += "<tr><td>" + E(o.asset_id) + "</td><td>" + E(o.building) + "</td><td>" +
         std::to_string(o.floor) + "</td><td>" + E(o.location) + "</td><td>" + E(o.asset_type) +
         "</td><td>" + (o.last_verified ? Day(o.last_verified) : "never") + "</td><td>" +
         Day(o.due_at) + "</td><td>" + (o.due_at ? std::to_string(o.days_overdue) : "") +
         "</td></tr>\n";
  }
  h += "</table></section>\n";
  return h;
}

std::string TechnicianTable(const core::CoverageReport& r) {
  std::string h = "<section><h2>Technicians, last " + std::to_string(r.activity_days) +
                  " days</h2><table><tr><th>technician</th><th>verified</th><th>with "
                  "defects</th><th>need review</th><th>rejected</th></tr>\n";
  auto row = [&](const std::string& label, const core::ActivityCounts& a) {
    h += "<tr><td>" + E(label) + "</td><td>" + std::to_string(a.verified) + "</td><td>" +
         std::to_string(a.verified_with_defects) + "</td><td>" + std::to_string(a.needs_review) +
         "</td><td>" + std::to_string(a.rejected) + "</td></tr>\n";
  };
  for (const auto& [technician, a] : r.by_technician) row(technician, a);
  row("all", r.activity);
  h += "</table></section>\n";
  return h;
}

}  // namespace

// Self-contained: inline styles and SVG, no scripts, every text from the data escaped.
std::string WriteCoverageHtml(const core::CoverageReport& r, std::span<const PlanDrawing> maps) {
  return HtmlHead(r) + Summary(r) + BuildingBars(r) + FloorHeatMap(r) + FloorMapsSection(maps) + TrendChart(r) +
         AssetTypeTable(r) + OverdueTable(r) + TechnicianTable(r) + "</body></html>\n";
}

}  // namespace fieldproof::exporter
