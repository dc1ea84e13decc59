#pragma once
// RFC 4180 CSV: comma-separated, optional double quotes ("" escapes a quote),
// CRLF or LF line ends, an optional UTF-8 byte-order mark.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fieldproof::codec {

struct CsvRecord {
  std::size_t line;  // 1-based line where the record starts.
  std::vector<std::string> fields;
};

struct CsvError {
  std::size_t line;
  std::string reason;
};

struct CsvDocument {
  std::vector<CsvRecord> records;  // Blank lines are skipped.
  std::vector<CsvError> errors;    // Records that could not be read at all.
};

CsvDocument ParseCsv(std::string_view text);

// Appends one field, quoted when it holds a comma, a quote or a line break, or when asked.
void AppendCsvField(std::string& out, std::string_view field, bool always_quote = false);

// Appends one record, quoting fields that need it, ending with CRLF (RFC 4180).
void AppendCsvRecord(std::string& out, const std::vector<std::string>& fields);

}  // namespace fieldproof::codec
