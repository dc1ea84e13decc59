#include "gateway/app/plan_commands.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "gateway/app/read_file.hpp"
#include "gateway/app/system_clock.hpp"
#include "gateway/codec/map_codec.hpp"
#include "gateway/core/text.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/plan_store.hpp"

namespace fieldproof::app {
namespace {

std::string Printable(const std::string& text) { return core::PrintableText(text); }

std::string Number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

std::string WhoRuns() {
  const char* user = std::getenv("USER");
  return user && *user ? user : "unknown";
}

// Prints a registry file's notes and refused rows; false when the file is unusable.
template <class Record>
bool ReportParse(const std::string& file, const codec::RegistryFile<Record>& parsed) {
  if (!parsed.fatal.empty()) {
    std::cerr << file << ": " << Printable(parsed.fatal) << "\n";
    return false;
  }
  for (const auto& column : parsed.ignored_columns) {
    std::cerr << file << ": note: column '" << Printable(column) << "' is not used\n";
  }
  for (const auto& e : parsed.errors) std::cerr << file << ":" << e.line << ": " << Printable(e.reason) << "\n";
  return true;
}

}  // namespace

PlanCommands::PlanCommands(CLI::App& plan) {
  import_ = plan.add_subcommand(
      "import",
      "Import floor plans (SVG or PNG). FILE is a list (CSV: building,floor,file,origin_x_m,"
      "origin_y_m,width_m; files relative to the list) or, with --building, one drawing. A "
      "floor's new plan replaces its old one.");
  import_->add_option("file", file_, "The list, or the drawing")->required()->check(CLI::ExistingFile);
  import_->add_option("--site", site_, "Site code")->required();
  import_->add_option("--building", single_.building, "One drawing: its building");
  import_->add_option("--floor", single_.floor, "One drawing: its floor")->check(CLI::Range(-100, 1000));
  import_->add_option("--width-m", single_.width_m, "One drawing: its width on the site, in metres");
  import_->add_option("--origin-x-m", single_.origin_x_m,
                      "One drawing: the site x of its left edge, in metres (east)")->capture_default_str();
  import_->add_option("--origin-y-m", single_.origin_y_m,
                      "One drawing: the site y of its top edge, in metres (south)")->capture_default_str();
  import_->add_option("--by", by_, "Who imported it (default: $USER)");

  positions_ = plan.add_subcommand(
      "positions",
      "Move assets to where they are (CSV: asset_id,x_m,y_m in site metres); a position outside "
      "the asset's floor plan is refused");
  positions_->add_option("file", file_, "CSV file")->required()->check(CLI::ExistingFile);
  positions_->add_option("--site", site_, "Site code")->required();

  list_ = plan.add_subcommand("list", "The site's floor plans");
  list_->add_option("--site", site_, "Site code")->required();
  list_->add_flag("--json", as_json_, "Print JSON");
}

std::optional<int> PlanCommands::Run(const std::string& db_path) {
  if (*import_) return Import(db_path);
  if (*positions_) return Positions(db_path);
  if (*list_) return List(db_path);
  return std::nullopt;
}

int PlanCommands::Import(const std::string& db_path) const {
  store::Database db(db_path);
  store::Migrate(db);
  if (!single_.building.empty()) {
    if (single_.width_m <= 0) {
      std::cerr << "error: --width-m is needed with --building: the drawing's width on the site\n";
      return 2;
    }
    return ImportOne(db, single_, file_) ? 0 : 1;
  }
  const auto text = ReadFile(file_);
  if (!text) {
    std::cerr << "error: cannot read " << file_ << "\n";
    return 2;
  }
  const auto parsed = codec::ParsePlanListCsv(*text);
  if (!ReportParse(file_, parsed)) return 2;
  const auto folder = std::filesystem::path(file_).parent_path();
  std::size_t imported = 0;
  for (const auto& [line, row] : parsed.rows) imported += ImportOne(db, row, (folder / row.file).string());
  std::cout << "imported " << imported << " of " << parsed.rows.size() + parsed.errors.size()
            << " plans listed in " << file_ << "\n";
  return imported == parsed.rows.size() && parsed.errors.empty() ? 0 : 1;
}

bool PlanCommands::ImportOne(store::Database& db, const codec::PlanListRow& row, const std::string& path) const {
  const std::string floor = row.building + " floor " + std::to_string(row.floor);
  const auto bytes = ReadFile(path);
  if (!bytes) {
    std::cerr << "error: " << floor << ": cannot read " << path << "\n";
    return false;
  }
  const auto image = core::InspectPlanImage(*bytes);
  if (!image.ok()) {
    std::cerr << "error: " << floor << ": " << path << ": " << image.error().detail << "\n";
    return false;
  }
  core::FloorPlan plan{site_, row.building, row.floor, image.value(), row.origin_x_m, row.origin_y_m,
                       row.width_m, NowMillis(), by_.empty() ? WhoRuns() : by_};
  if (const auto problem = core::PlacementProblem(plan)) {
    std::cerr << "error: " << floor << ": " << *problem << "\n";
    return false;
  }
  store::PlanStore plans(db);
  plans.Save(plan, *bytes);
  const store::FloorKey key{site_, row.building, row.floor};
  const auto map = core::BuildFloorMap(plan, plans.Markers(key, "", NowMillis(), 30));
  std::cout << "plan of " << Printable(floor) << ": " << core::MediaType(plan.image.format) << " "
            << Number(plan.image.width_px) << " x " << Number(plan.image.height_px) << ", "
            << Number(plan.width_m) << " x " << Number(plan.HeightM()) << " m from (" << Number(plan.origin_x_m)
            << ", " << Number(plan.origin_y_m) << "); " << map.markers.size() << " assets on it";
  if (!map.off_plan.empty()) {
    std::cout << ", " << map.off_plan.size() << " outside it (first: " << Printable(map.off_plan.front().asset_id)
              << "; correct them with fieldproof plan positions)";
  }
  std::cout << "\n";
  return true;
}

int PlanCommands::Positions(const std::string& db_path) const {
  const auto text = ReadFile(file_);
  if (!text) {
    std::cerr << "error: cannot read " << file_ << "\n";
    return 2;
  }
  const auto parsed = codec::ParsePositionsCsv(*text);
  if (!ReportParse(file_, parsed)) return 2;
  store::Database db(db_path);
  store::Migrate(db);
  const auto report = store::PlanStore(db).SetPositions(site_, parsed.rows, NowMillis());
  for (const auto& e : report.errors) std::cerr << file_ << ":" << e.line << ": " << Printable(e.reason) << "\n";
  std::cout << "positions from " << file_ << ": " << report.updated << " moved, " << report.unchanged
            << " unchanged, " << parsed.errors.size() + report.errors.size() << " refused\n";
  return parsed.errors.empty() && report.errors.empty() ? 0 : 1;
}

int PlanCommands::List(const std::string& db_path) const {
  store::Database db(db_path);
  store::Migrate(db);
  const auto plans = store::PlanStore(db).List(site_, "");
  if (as_json_) {
    std::cout << codec::EncodePlanList(site_, plans);
    return 0;
  }
  for (const auto& [plan, assets] : plans) {
    std::cout << Printable(plan.building) << " floor " << plan.floor << ": " << core::MediaType(plan.image.format)
              << ", " << Number(plan.width_m) << " x " << Number(plan.HeightM()) << " m from ("
              << Number(plan.origin_x_m) << ", " << Number(plan.origin_y_m) << "), " << assets << " assets, imported "
              << core::FormatRfc3339(plan.imported_at) << " by " << Printable(plan.imported_by) << "\n";
  }
  std::cout << plans.size() << " plan(s) at " << Printable(site_) << "\n";
  return 0;
}

}  // namespace fieldproof::app
