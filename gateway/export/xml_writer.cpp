#include "gateway/export/xml_writer.hpp"

namespace fieldproof::exporter {

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters other than tab and newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

XmlWriter::XmlWriter() : out_("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") {}

void XmlWriter::Indent() { out_.append(open_.size() * 2, ' '); }

void XmlWriter::StartTag(std::string_view name, const Attributes& attributes) {
  Indent();
  out_ += '<';
  out_ += name;
  for (const auto& [key, value] : attributes) {
    out_ += ' ';
    out_ += key;
    out_ += "=\"";
    out_ += EscapeXml(value);
    out_ += '"';
  }
  out_ += '>';
}

void XmlWriter::Open(std::string_view name, const Attributes& attributes) {
  StartTag(name, attributes);
  out_ += '\n';
  open_.emplace_back(name);
}

void XmlWriter::Close() {
  const std::string name = std::move(open_.back());
  open_.pop_back();
  Indent();
  out_ += "</" + name + ">\n";
}

void XmlWriter::Leaf(std::string_view name, std::string_view text, const Attributes& attributes) {
  if (text.empty()) return;
  StartTag(name, attributes);
  out_ += EscapeXml(text);
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

std::string XmlWriter::Finish() {
  while (!open_.empty()) Close();
  return std::move(out_);
}

}  // namespace fieldproof::exporter
