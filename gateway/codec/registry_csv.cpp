#include "gateway/codec/registry_csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "gateway/core/identifiers.hpp"
#include "gateway/core/text.hpp"
#include "gateway/core/timestamp.hpp"

namespace fieldproof::codec {
namespace {

std::vector<std::string> Split(std::string_view s, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(separator, start), s.size());
    parts.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// A row that cannot become a record; carries the reason for the report.
struct RowProblem {
  std::string reason;
};

class Row {
 public:
  Row(const std::vector<std::string>& fields, const std::map<std::string, std::size_t>& columns)
      : fields_(fields), columns_(columns) {}

  // Registry text ends up in JSON (API, exports), e-invoices, spreadsheets and terminals:
  // UTF-8 without control characters, line breaks and tabs inside a cell included.
  std::string Text(const std::string& column) const {
    std::string text = Trim(fields_[columns_.at(column)]);
    if (!core::IsUtf8(text)) {
      throw RowProblem{column + ": not valid UTF-8 (save the file as UTF-8)"};
    }
    if (auto problem = core::PlainTextProblem(text)) throw RowProblem{column + ": " + *problem};
    return text;
  }

  long long Integer(const std::string& column) const {
    const std::string text = Text(column);
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      throw RowProblem{column + ": '" + text + "' is not a whole number"};
    }
    return value;
  }

  double Number(const std::string& column) const {
    const std::string text = Text(column);
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      throw RowProblem{column + ": '" + text + "' is not a number"};
    }
    return value;
  }

  bool Flag(const std::string& column) const {
    const std::string text = Lower(Text(column));
    if (text == "true" || text == "yes" || text == "y" || text == "1") return true;
    if (text == "false" || text == "no" || text == "n" || text == "0") return false;
    throw RowProblem{column + ": '" + Text(column) + "' is not true/false/yes/no/1/0"};
  }

  std::vector<std::string> List(const std::string& column) const {
    std::vector<std::string> items;
    const std::string text = Text(column);
    if (text.empty()) return items;
    for (const std::string& part : Split(text, ';')) items.push_back(Trim(part));
    return items;
  }

 private:
  const std::vector<std::string>& fields_;
  const std::map<std::string, std::size_t>& columns_;
};

int ToInt(long long value, const std::string& column) {
  if (value < -1000000 || value > 1000000) throw RowProblem{column + ": out of range"};
  return static_cast<int>(value);
}

template <class Record, class ParseRow, class Validate, class KeyOf>
RegistryFile<Record> ParseRegistry(std::string_view text, std::string_view expected_columns,
                                   ParseRow parse_row, Validate validate, KeyOf key_of) {
  RegistryFile<Record> file;
  CsvDocument doc = ParseCsv(text);
  file.errors = std::move(doc.errors);
  if (doc.records.empty()) {
    file.fatal = "no header row; expected columns: " + std::string(expected_columns);
    return file;
  }
  const CsvRecord& header = doc.records.front();
  std::map<std::string, std::size_t> columns;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = Lower(Trim(header.fields[i]));
    const auto [it, inserted] = columns.emplace(name, i);
    // Which of two values would count is anyone's guess. Blank names (trailing commas) name
    // nothing and may repeat.
    if (!inserted && !name.empty()) {
      file.fatal = "header names column '" + name + "' twice (columns " +
                   std::to_string(it->second + 1) + " and " + std::to_string(i + 1) + ")";
      return file;
    }
  }
  const auto required = Split(expected_columns, ',');
  std::string missing;
  for (const auto& name : required) {
    if (!columns.contains(name)) missing += (missing.empty() ? "" : ", ") + name;
  }
  if (!missing.empty()) {
    file.fatal = "header lacks column(s): " + missing + "; expected: " + std::string(expected_columns);
    return file;
  }
  for (const auto& [name, index] : columns) {
    if (std::find(required.begin(), required.end(), name) == required.end()) {
      file.ignored_columns.push_back(name);
    }
  }

  std::map<std::string, std::size_t> first_line_of;  // Key -> line, to catch duplicates.
  for (std::size_t i = 1; i < doc.records.size(); ++i) {
    const CsvRecord& record = doc.records[i];
    if (record.fields.size() != header.fields.size()) {
      file.errors.push_back({record.line, "has " + std::to_string(record.fields.size()) +
                                              " fields; the header has " +
                                              std::to_string(header.fields.size())});
      continue;
    }
    try {
      Record parsed = parse_row(Row(record.fields, columns));
      if (auto problem = validate(parsed)) throw RowProblem{problem->detail};
      for (const std::string& key : key_of(parsed)) {
        auto [it, inserted] = first_line_of.emplace(key, record.line);
        if (!inserted) {
          throw RowProblem{key + " repeats line " + std::to_string(it->second)};
        }
      }
      file.rows.push_back({record.line, std::move(parsed)});
    } catch (const RowProblem& problem) {
      file.errors.push_back({record.line, problem.reason});
    }
  }
  std::sort(file.errors.begin(), file.errors.end(),
            [](const CsvError& a, const CsvError& b) { return a.line < b.line; });
  return file;
}

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) quoted += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string Join(const std::vector<std::string>& items, char separator) {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : std::string(1, separator)) + item;
  return joined;
}

// Shortest text that reads back as the same double, so export -> import is exact.
std::string FormatNumber(double value) {
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, end);
}

}  // namespace

RegistryFile<core::Asset> ParseAssetsCsv(std::string_view text) {
  return ParseRegistry<core::Asset>(
      text, kAssetColumns,
      [](const Row& row) {
        core::Asset a;
        a.asset_id = row.Text("asset_id");
        a.site = row.Text("site");
        a.building = row.Text("building");
        a.floor = ToInt(row.Integer("floor"), "floor");
        a.location = row.Text("location");
        a.x_m = row.Number("x_m");
        a.y_m = row.Number("y_m");
        a.asset_type = row.Text("asset_type");
        a.tag_uid = Upper(row.Text("tag_uid"));
        a.interval_days = ToInt(row.Integer("interval_days"), "interval_days");
        a.owner_id = row.Text("owner_id");
        a.sensor_equipped = row.Flag("sensor_equipped");
        return a;
      },
      core::ValidateAsset,
      [](const core::Asset& a) {
        return std::vector<std::string>{"asset " + a.site + "/" + a.asset_id,
                                        "tag_uid " + a.site + "/" + a.tag_uid};
      });
}

RegistryFile<core::Technician> ParseTechniciansCsv(std::string_view text) {
  return ParseRegistry<core::Technician>(
      text, kTechnicianColumns,
      [](const Row& row) {
        core::Technician t;
        t.technician_id = row.Text("technician_id");
        t.name = row.Text("name");
        t.company = row.Text("company");
        t.qualifications = row.List("qualifications");
        t.sites = row.List("sites");
        return t;
      },
      core::ValidateTechnician,
      [](const core::Technician& t) {
        return std::vector<std::string>{"technician " + t.technician_id};
      });
}

RegistryFile<core::Device> ParseDevicesCsv(std::string_view text) {
  return ParseRegistry<core::Device>(
      text, kDeviceColumns,
      [](const Row& row) {
        return core::Device{row.Text("device_id"), row.Text("site"), row.Text("company")};
      },
      core::ValidateDevice,
      [](const core::Device& d) { return std::vector<std::string>{"device " + d.site + "/" + d.device_id}; });
}

RegistryFile<std::string> ParseSuppliedTagsCsv(std::string_view text) {
  return ParseRegistry<std::string>(
      text, kSuppliedTagColumns, [](const Row& row) { return Upper(row.Text("uid")); },
      [](const std::string& uid) -> std::optional<core::Rejection> {
        if (core::IsTagUid(uid)) return std::nullopt;
        return core::Rejection{core::RejectReason::kInvalidValue,
                               "uid: '" + uid + "' is not a tag UID (14 hex digits)"};
      },
      [](const std::string& uid) { return std::vector<std::string>{"tag " + uid}; });
}

RegistryFile<core::AssetPosition> ParsePositionsCsv(std::string_view text) {
  return ParseRegistry<core::AssetPosition>(
      text, kPositionColumns,
      [](const Row& row) {
        return core::AssetPosition{row.Text("asset_id"), row.Number("x_m"), row.Number("y_m")};
      },
      [](const core::AssetPosition& p) -> std::optional<core::Rejection> {
        if (p.asset_id.empty()) return core::Rejection{core::RejectReason::kInvalidValue, "asset_id: empty"};
        if (!std::isfinite(p.x_m) || !std::isfinite(p.y_m)) {
          return core::Rejection{core::RejectReason::kInvalidValue, "x_m, y_m: not finite"};
        }
        return std::nullopt;
      },
      [](const core::AssetPosition& p) { return std::vector<std::string>{"asset " + p.asset_id}; });
}

RegistryFile<core::PastInspection> ParseHistoryCsv(std::string_view text) {
  return ParseRegistry<core::PastInspection>(
      text, kHistoryColumns,
      [](const Row& row) {
        core::PastInspection p;
        p.asset_id = row.Text("asset_id");
        const std::string at = row.Text("inspected_at");
        const auto parsed = core::ParseRfc3339(at);
        if (!parsed) throw RowProblem{"inspected_at: '" + at + "' is not an RFC 3339 time"};
        p.inspected_at = *parsed;
        p.inspected_by = row.Text("inspected_by");
        const std::string result = Lower(row.Text("result"));
        if (result != "pass" && result != "fail") throw RowProblem{"result: '" + result + "' is neither pass nor fail"};
        p.passed = result == "pass";
        return p;
      },
      [](const core::PastInspection& p) -> std::optional<core::Rejection> {
        if (p.asset_id.empty() || p.inspected_by.empty()) {
          return core::Rejection{core::RejectReason::kInvalidValue, "asset_id and inspected_by must not be empty"};
        }
        return std::nullopt;
      },
      [](const core::PastInspection& p) {
        return std::vector<std::string>{"inspection of " + p.asset_id + " at " + core::FormatRfc3339(p.inspected_at)};
      });
}

std::string HistoryCsvHeader() { return std::string(kHistoryColumns) + "\n"; }

std::string HistoryCsvRow(const core::PastInspection& p) {
  return Join({CsvField(p.asset_id), core::FormatRfc3339(p.inspected_at), CsvField(p.inspected_by),
               p.passed ? "pass" : "fail"},
              ',') +
         "\n";
}

std::string EncodeImportEvidence(std::string_view source_file) {
  const std::string name(source_file.substr(source_file.find_last_of('/') + 1));
  return nlohmann::json{{"imported_from", name}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

RegistryFile<PlanListRow> ParsePlanListCsv(std::string_view text) {
  return ParseRegistry<PlanListRow>(
      text, kPlanListColumns,
      [](const Row& row) {
        return PlanListRow{row.Text("building"), ToInt(row.Integer("floor"), "floor"), row.Text("file"),
                           row.Number("origin_x_m"), row.Number("origin_y_m"), row.Number("width_m")};
      },
      [](const PlanListRow& r) -> std::optional<core::Rejection> {
        if (r.building.empty() || r.file.empty()) {
          return core::Rejection{core::RejectReason::kInvalidValue, "building and file must not be empty"};
        }
        core::FloorPlan placement;
        placement.origin_x_m = r.origin_x_m, placement.origin_y_m = r.origin_y_m, placement.width_m = r.width_m;
        if (auto problem = core::PlacementProblem(placement)) {
          return core::Rejection{core::RejectReason::kInvalidValue, *problem};
        }
        return std::nullopt;
      },
      [](const PlanListRow& r) {
        return std::vector<std::string>{"floor " + r.building + "/" + std::to_string(r.floor)};
      });
}

std::string PlanListHeader() { return std::string(kPlanListColumns) + "\n"; }

std::string PlanListCsvRow(const PlanListRow& r) {
  return Join({CsvField(r.building), std::to_string(r.floor), CsvField(r.file), FormatNumber(r.origin_x_m),
               FormatNumber(r.origin_y_m), FormatNumber(r.width_m)},
              ',') +
         "\n";
}

std::string AssetsCsvHeader() { return std::string(kAssetColumns) + "\n"; }

std::string AssetCsvRow(const core::Asset& a) {
  return Join({CsvField(a.asset_id), CsvField(a.site), CsvField(a.building),
               std::to_string(a.floor), CsvField(a.location), FormatNumber(a.x_m),
               FormatNumber(a.y_m), CsvField(a.asset_type), CsvField(a.tag_uid),
               std::to_string(a.interval_days), CsvField(a.owner_id),
               a.sensor_equipped ? "true" : "false"},
              ',') +
         "\n";
}

std::string TechniciansCsvHeader() { return std::string(kTechnicianColumns) + "\n"; }

std::string TechnicianCsvRow(const core::Technician& t) {
  return Join({CsvField(t.technician_id), CsvField(t.name), CsvField(t.company),
               CsvField(Join(t.qualifications, ';')), CsvField(Join(t.sites, ';'))},
              ',') +
         "\n";
}

std::string DevicesCsvHeader() { return std::string(kDeviceColumns) + "\n"; }

std::string DeviceCsvRow(const core::Device& d) {
  return Join({CsvField(d.device_id), CsvField(d.site), CsvField(d.company)}, ',') + "\n";
}

}  // namespace fieldproof::codec
