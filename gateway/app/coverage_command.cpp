#include "gateway/app/coverage_command.hpp"

#include <fstream>
#include <iostream>

#include "gateway/app/system_clock.hpp"
#include "gateway/codec/coverage_codec.hpp"
#include "gateway/core/local_time.hpp"
#include "gateway/export/coverage_report.hpp"
#include "gateway/store/coverage_store.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/plan_store.hpp"

namespace fieldproof::app {
namespace {

// Every plan of the report's site with its assets as of the report's day.
std::vector<exporter::PlanDrawing> LoadDrawings(store::Database& db, const core::CoverageReport& report) {
  store::PlanStore plans(db);
  std::vector<exporter::PlanDrawing> drawings;
  for (auto& [plan, assets] : plans.List(report.site, "")) {
    const store::FloorKey floor{plan.site, plan.building, plan.floor};
    auto markers = plans.Markers(floor, "", report.as_of, report.due_soon_days);
    drawings.push_back({core::BuildFloorMap(std::move(plan), std::move(markers)), plans.Image(floor).value_or("")});
  }
  return drawings;
}

}  // namespace

CoverageCommand::CoverageCommand(CLI::App& app) {
  command_ = app.add_subcommand(
      "coverage",
      "Inspection coverage of a site as of a day: compliant, due soon, overdue, never "
      "inspected, per building, floor and asset type, with a monthly trend");
  command_->add_option("--site", site_, "Site code")->required();
  command_->add_option("--as-of", as_of_,
                       "The day YYYY-MM-DD, counted to its end, UTC (default: now)");
  command_->add_option("--format", format_, "table, csv, json or html")
      ->check(CLI::IsMember({"table", "csv", "json", "html"}))
      ->capture_default_str();
  command_->add_option("--out", out_, "Write to this file instead of standard output");
  command_
      ->add_option("--due-soon-days", due_soon_days_,
                   "Days before the due date that count as due soon")
      ->check(CLI::Range(0, 365))
      ->capture_default_str();
  command_->add_option("--months", months_, "Months in the trend")
      ->check(CLI::Range(1, 120))
      ->capture_default_str();
}

std::optional<int> CoverageCommand::Run(const std::string& db_path) {
  if (!*command_) return std::nullopt;
  core::UnixMillis as_of = NowMillis();
  if (!as_of_.empty()) {
    const auto end = core::EndOfDayUtc(as_of_);
    if (!end) {
      std::cerr << "error: --as-of \"" << as_of_ << "\" is not a date YYYY-MM-DD\n";
      return 2;
    }
    as_of = *end;
  }
  store::Database db(db_path);
  store::Migrate(db);
  const auto sites = store::AssetSites(db);
  if (std::find(sites.begin(), sites.end(), site_) == sites.end()) {
    std::cerr << "error: site " << site_ << " has no assets in " << db_path << "\n";
    return 1;
  }
  const auto report = core::BuildCoverageReport(
      store::LoadCoverageInputs(db, {site_, as_of, due_soon_days_, months_, 30, /*owner_id: every owner=*/""}));
  std::string text;
  if (format_ == "csv") {
    text = exporter::WriteCoverageCsv(report);
  } else if (format_ == "json") {
    text = codec::EncodeCoverageReport(report);
  } else if (format_ == "html") {
    text = exporter::WriteCoverageHtml(report, LoadDrawings(db, report));
  } else {
    text = exporter::WriteCoverageTable(report);
  }
  if (out_.empty()) {
    std::cout << text;
    return 0;
  }
  std::ofstream out(out_, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) {
    std::cerr << "error: cannot write " << out_ << "\n";
    return 2;
  }
  std::cout << "coverage of " << site_ << ": " << report.total.assets << " assets, "
            << std::to_string(report.total.PercentCovered()).substr(0, 5) << " % covered, "
            << report.overdue.size() << " overdue or never inspected; written to " << out_ << "\n";
  return 0;
}

}  // namespace fieldproof::app
