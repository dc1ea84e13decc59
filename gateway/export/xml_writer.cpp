#include "gateway/export/xml_writer.hpp"

#include "gateway/core/text.hpp"

namespace fieldproof::exporter {

namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// The markup for one character of text or attribute value.
std::string_view Escaped(char32_t c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return "&apos;";
    case '\r':
      return "&#xD;";  // A literal CR would be read back as LF.
    default:
      return {};
  }
}

}  // namespace

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const auto c = core::DecodeUtf8(text);
    const std::size_t length = c ? c->length : 1;
    if (!c || !core::IsXmlChar(c->code_point)) {
      // Bytes that are not UTF-8 and characters XML 1.0 forbids (C0 controls, U+FFFE,
      // U+FFFF) would make the document unreadable; imports refuse them, old data may hold them.
      out += kReplacementCharacter;
    } else if (const std::string_view markup = Escaped(c->code_point); !markup.empty()) {
      out += markup;
    } else {
      out += text.substr(0, length);
    }
    text.remove_prefix(length);
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
