#include "gateway/codec/csv.hpp"

namespace fieldproof::codec {

CsvDocument ParseCsv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvDocument doc;
  std::size_t pos = 0;
  std::size_t line = 1;
  while (pos < text.size()) {
    CsvRecord record{line, {}};
    std::string field;
    bool quoted = false;       // Inside a quoted field.
    bool was_quoted = false;   // The current field started with a quote.
    std::string error;
    for (; pos < text.size(); ++pos) {
      const char c = text[pos];
      if (quoted) {
        if (c == '"' && pos + 1 < text.size() && text[pos + 1] == '"') {
          field += '"';
          ++pos;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') ++line;
          field += c;
        }
      } else if (c == '"' && field.empty() && !was_quoted) {
        quoted = was_quoted = true;
      } else if (c == ',') {
        record.fields.push_back(std::move(field));
        field.clear();
        was_quoted = false;
      } else if (c == '\n' || c == '\r') {
        break;
      } else if (was_quoted) {
        if (error.empty()) error = "text after a closing quote";
      } else if (c == '"') {
        if (error.empty()) error = "a quote inside an unquoted field";
      } else {
        field += c;
      }
    }
    if (quoted) error = "a quoted field is never closed";
    record.fields.push_back(std::move(field));
    // Consume the line end (CRLF, LF or lone CR).
    if (pos < text.size() && text[pos] == '\r') ++pos;
    if (pos < text.size() && text[pos] == '\n') ++pos;
    ++line;
    const bool blank = record.fields.size() == 1 && record.fields[0].empty() && !was_quoted;
    if (!error.empty()) {
      doc.errors.push_back({record.line, error});
    } else if (!blank) {
      doc.records.push_back(std::move(record));
    }
  }
  return doc;
}

void AppendCsvField(std::string& out, std::string_view field, bool always_quote) {
  if (!always_quote && field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void AppendCsvRecord(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    AppendCsvField(out, fields[i]);
  }
  out += "\r\n";
}

}  // namespace fieldproof::codec
