#include "gateway/codec/prometheus_text.hpp"

namespace fieldproof::codec {
namespace {

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// HELP text escapes backslash and line feed only.
std::string EscapeHelp(const std::string& help) {
  std::string out;
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
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
    out += "# HELP " + m.name + " " + EscapeHelp(m.help) + "\n# TYPE " + m.name + " " + m.type + "\n";
    for (const PrometheusSample& s : m.samples) {
      out += m.name + s.suffix;
      if (!s.labels.empty()) {
        out += "{";
        for (std::size_t i = 0; i < s.labels.size(); ++i) {
          out += (i ? "," : "") + s.labels[i].first + "=\"" + EscapeLabelValue(s.labels[i].second) + "\"";
        }
        out += "}";
      }
      out += " " + s.value + "\n";
    }
  }
  return out;
}

}  // namespace fieldproof::codec
