#include "gateway/codec/spreadsheet_csv.hpp"

#include "gateway/codec/csv.hpp"

namespace fieldproof::codec {
namespace {

bool IsDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// -?[0-9]+(\.[0-9]+)? or empty: what std::to_string and core::FormatAmount write.
bool IsPlainNumber(std::string_view text) {
  if (text.empty()) return true;
  if (text.front() == '-') text.remove_prefix(1);
  const auto point = text.find('.');
  if (point == std::string_view::npos) return IsDigits(text);
  return IsDigits(text.substr(0, point)) && IsDigits(text.substr(point + 1));
}

}  // namespace

bool StartsFormula(std::string_view text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
}

std::string SpreadsheetSafe(std::string_view text) {
  return StartsFormula(text) ? "'" + std::string(text) : std::string(text);
}

void AppendSheetRecord(std::string& out, const std::vector<SheetCell>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    const SheetCell& cell = cells[i];
    if (cell.kind == SheetCell::Kind::kNumber && IsPlainNumber(cell.value)) {
      out += cell.value;
    } else if (!cell.value.empty()) {
      AppendCsvField(out, SpreadsheetSafe(cell.value), /*always_quote=*/true);
    }
  }
  out += "\r\n";
}

}  // namespace fieldproof::codec
