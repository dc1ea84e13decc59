#pragma once
// A coverage report for people: a text table for the terminal, a CSV for spreadsheets and a
// self-contained HTML page with charts (inline SVG, no scripts, no external files) that an
// auditor can file. The JSON form is codec::EncodeCoverageReport.
#include <span>
#include <string>
#include <string_view>

#include "gateway/core/coverage.hpp"
#include "gateway/export/floor_maps_html.hpp"

namespace fieldproof::exporter {

inline constexpr std::string_view kCoverageCsvColumns =
    "scope,building,floor,asset_type,month,asset_id,location,last_verified,due_at,days_overdue,"
    "assets,compliant,due_soon,overdue,never_inspected,percent_covered";

std::string WriteCoverageTable(const core::CoverageReport& report);
std::string WriteCoverageCsv(const core::CoverageReport& report);
// With the site's floor maps when `maps` holds any (floor_maps_html.hpp).
std::string WriteCoverageHtml(const core::CoverageReport& report, std::span<const PlanDrawing> maps = {});

}  // namespace fieldproof::exporter
