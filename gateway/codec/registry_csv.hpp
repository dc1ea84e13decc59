#pragma once
// Registry files as a CAFM system exports them: CSV with a header row. Columns are
// found by name (any order; extra columns are ignored and reported). Each bad row is
// reported with its line number and reason; the good rows are kept.
#include <string>
#include <string_view>
#include <vector>

#include "gateway/codec/csv.hpp"
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

std::string AssetsCsvHeader();
std::string AssetCsvRow(const core::Asset& asset);
std::string TechniciansCsvHeader();
std::string TechnicianCsvRow(const core::Technician& technician);
std::string DevicesCsvHeader();
std::string DeviceCsvRow(const core::Device& device);

}  // namespace fieldproof::codec
