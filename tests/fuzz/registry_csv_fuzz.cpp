// The registry import (fieldproof import assets|technicians|devices FILE.csv): the CSV
// reader and the three record parsers on the same bytes.
// Properties: every row kept re-exports (AssetCsvRow etc.) to CSV that parses back to the
// same row, and encodes as JSON (EncodeAsset etc., as the API and exports show it); every
// error names a line inside the file.
#include <algorithm>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

#include "gateway/codec/message_codec.hpp"
#include "gateway/codec/registry_csv.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace codec = fieldproof::codec;
using fieldproof::fuzz::Check;

namespace {

template <class Parse, class Row, class Encode>
void Import(std::string_view text, Parse parse, const std::string& header, Row row,
            Encode encode, std::string_view what) {
  const auto file = parse(text);
  const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) +
                            static_cast<std::size_t>(std::count(text.begin(), text.end(), '\r')) + 1;
  for (const auto& error : file.errors) {
    Check(error.line >= 1 && error.line <= lines, what, "error on a line outside the file");
  }
  if (file.rows.empty()) return;
  for (const auto& kept : file.rows) {
    try {
      (void)encode(kept.record);
    } catch (const std::exception& e) {
      Check(false, what, std::string("a kept row does not encode as JSON: ") + e.what());
    }
  }
  std::string exported = header;
  for (const auto& kept : file.rows) exported += row(kept.record);
  const auto again = parse(exported);
  Check(again.fatal.empty() && again.errors.empty(), what,
        again.fatal.empty() ? (again.errors.empty() ? "" : again.errors[0].reason) : again.fatal);
  Check(again.rows.size() == file.rows.size(), what, "row count changed");
  std::string reexported = header;
  for (const auto& kept : again.rows) reexported += row(kept.record);
  Check(reexported == exported, what, exported);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)codec::ParseCsv(text);
  Import(text, codec::ParseAssetsCsv, codec::AssetsCsvHeader(),
                                  codec::AssetCsvRow, codec::EncodeAsset, "assets:");
  Import(text, codec::ParseTechniciansCsv,
                                       codec::TechniciansCsvHeader(), codec::TechnicianCsvRow,
                                       codec::EncodeTechnician, "technicians:");
  Import(text, codec::ParseDevicesCsv, codec::DevicesCsvHeader(),
                                   codec::DeviceCsvRow, codec::EncodeDevice, "devices:");
  return 0;
}
