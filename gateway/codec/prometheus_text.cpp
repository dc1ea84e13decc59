#include "gateway/codec/prometheus_text.hpp"

namespace fieldproof::codec {
namespace {

// Backslash and line feed always; the double quote too inside a label value.
std::string Escape(const std::string& text, bool label_value) {
  std::string out;
  for (const char c : text) {
    if (c == '\\' || (c == '"' && label_value)) {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

PrometheusSample CountSample(std::uint64_t value, std::vector<std::pair<std::string, std::string>> labels) {
  return {"", std::move(labels), std::to_string(value)};
}

std::string EncodePrometheusText(std::span<const PrometheusMetric> metrics) {
  std::string out;
  for (const PrometheusMetric& m : metrics) {
    out += "# HELP " + m.name + " " + Escape(m.help, false) + "\n# TYPE " + m.name + " " + m.type + "\n";
    for (const PrometheusSample& s : m.samples) {
      out += m.name + s.suffix;
      if (!s.labels.empty()) {
        out += "{";
        for (std::size_t i = 0; i < s.labels.size(); ++i) {
          out += (i ? "," : "") + s.labels[i].first + "=\"" + Escape(s.labels[i].second, true) + "\"";
        }
        out += "}";
      }
      out += " " + s.value + "\n";
    }
  }
  return out;
}

}  // namespace fieldproof::codec
