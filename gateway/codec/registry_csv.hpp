#pragma once
// Registry files as a CAFM system exports them: CSV with a header row. Columns are
// found by name (any order; extra columns are ignored and reported). Each bad row is
// reported with its line number and reason; the good rows are kept.
#include <string>
#include <string_view>
#include <vector>

#include "gateway/codec/csv.hpp"
#include "gateway/core/floor_plan.hpp"
#include "gateway/core/maintenance_record.hpp"
#include "gateway/core/messages.hpp"

namespace fieldproof::codec {

inline constexpr std::string_view kAssetColumns =
    "asset_id,site,building,floor,location,x_m,y_m,asset_type,tag_uid,interval_days,owner_id,"
    "sensor_equipped";
inline constexpr std::string_view kTechnicianColumns =
    "technician_id,name,company,qualifications,sites";
inline constexpr std::string_view kDeviceColumns = "device_id,site,company";
// A tag supplier's delivery list: one UID (14 hex digits) per row; other columns are noted
// and ignored.
inline constexpr std::string_view kSuppliedTagColumns = "uid";
// Inspections from before fieldproof: result is pass or fail.
inline constexpr std::string_view kHistoryColumns = "asset_id,inspected_at,inspected_by,result";

// Where assets are on the site, in metres (core/floor_plan.hpp).
inline constexpr std::string_view kPositionColumns = "asset_id,x_m,y_m";
// Which drawing is the plan of which floor, and where it lies on the site.
inline constexpr std::string_view kPlanListColumns = "building,floor,file,origin_x_m,origin_y_m,width_m";

struct PlanListRow {
  std::string building;
  int floor = 0;
  std::string file;  // Relative to the list's folder.
  double origin_x_m = 0;
  double origin_y_m = 0;
  double width_m = 0;
};

template <class Record>
struct RegistryFile {
  struct Row {
    std::size_t line;
    Record record;
  };
  std::vector<Row> rows;
  std::vector<CsvError> errors;        // Rows skipped, with line and reason.
  std::vector<std::string> ignored_columns;
  std::string fatal;                   // Set when the file as a whole is unusable.
};

// qualifications and sites are lists separated by ';'.
RegistryFile<core::Asset> ParseAssetsCsv(std::string_view text);
RegistryFile<core::Technician> ParseTechniciansCsv(std::string_view text);
RegistryFile<core::Device> ParseDevicesCsv(std::string_view text);
// Each row's UID in upper case.
RegistryFile<std::string> ParseSuppliedTagsCsv(std::string_view text);
RegistryFile<core::AssetPosition> ParsePositionsCsv(std::string_view text);
RegistryFile<core::PastInspection> ParseHistoryCsv(std::string_view text);
std::string HistoryCsvHeader();
std::string HistoryCsvRow(const core::PastInspection& past);
// An imported record's evidence: where it came from.
std::string EncodeImportEvidence(std::string_view source_file);
RegistryFile<PlanListRow> ParsePlanListCsv(std::string_view text);
std::string PlanListHeader();
std::string PlanListCsvRow(const PlanListRow& row);

std::string AssetsCsvHeader();
std::string AssetCsvRow(const core::Asset& asset);
std::string TechniciansCsvHeader();
std::string TechnicianCsvRow(const core::Technician& technician);
std::string DevicesCsvHeader();
std::string DeviceCsvRow(const core::Device& device);

}  // namespace fieldproof::codec
