#pragma once
// CSV that people open in spreadsheets: the invoice export and the coverage report. Each column
// is text or a number. A spreadsheet evaluates a cell that begins with = + - @ (some also after
// a tab or CR) as a formula, which can fetch URLs or run commands; the text of such files
// comes from contracts and the CAFM import. So text cells are neutralised as OWASP's "CSV
// Injection" advice says: quoted, with an apostrophe before text that would start a formula.
// Number cells are written bare and unchanged, so an amount of -12.50 stays a number.
#include <string>
#include <string_view>
#include <vector>

namespace fieldproof::codec {

struct SheetCell {
  enum class Kind { kText, kNumber };

  static SheetCell Text(std::string value) { return {Kind::kText, std::move(value)}; }
  // A decimal number as we format it ("-12.50", "3", "33.3"), or empty. Anything else is
  // written as text, so a mislabelled column cannot carry a formula.
  static SheetCell Number(std::string value) { return {Kind::kNumber, std::move(value)}; }

  Kind kind;
  std::string value;
};

// True when a spreadsheet would read `text` as a formula: it begins with = + - @, tab or CR.
bool StartsFormula(std::string_view text);

// `text` as a text cell shows it: "'" + text when it would start a formula, else the text.
std::string SpreadsheetSafe(std::string_view text);

// Appends one record (RFC 4180, CRLF) of cells: text cells quoted (empty ones left empty)
// and made SpreadsheetSafe, numbers bare.
void AppendSheetRecord(std::string& out, const std::vector<SheetCell>& cells);

}  // namespace fieldproof::codec
