#pragma once
// A minimal XML writer for generated documents: elements, attributes, escaped text,
// two-space indentation. Nothing is read back, so it needs no parser.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fieldproof::exporter {

class XmlWriter {
 public:
  using Attributes = std::vector<std::pair<std::string_view, std::string>>;

  XmlWriter();  // Starts with the XML declaration.
  void Open(std::string_view name, const Attributes& attributes = {});
  void Close();
  // <name attrs>text</name>; skipped when `text` is empty (optional elements).
  void Leaf(std::string_view name, std::string_view text, const Attributes& attributes = {});
  std::string Finish();  // Closes what is open.

 private:
  void Indent();
  void StartTag(std::string_view name, const Attributes& attributes);

  std::string out_;
  std::vector<std::string> open_;
};

// Text or an attribute value as XML 1.0 character data: markup characters escaped, CR as
// &#xD;, and every byte that is not UTF-8 and every character XML forbids replaced by U+FFFD,
// so the document stays well-formed whatever the text holds.
std::string EscapeXml(std::string_view text);

}  // namespace fieldproof::exporter
