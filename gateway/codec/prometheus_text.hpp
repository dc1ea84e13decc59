#pragma once
// Prometheus's text exposition format, version 0.0.4: what /metrics answers. Each metric is
// a HELP and a TYPE line and its samples; label values are escaped as the format requires
// (backslash, double quote, line feed).
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace fieldproof::codec {

struct PrometheusSample {
  std::string suffix;                                        // "", or "_bucket", "_sum", "_count".
  std::vector<std::pair<std::string, std::string>> labels;  // Name, value (unescaped).
  std::string value;                                         // Already a number's text.
};

struct PrometheusMetric {
  std::string name;
  std::string type;  // counter, gauge, histogram.
  std::string help;
  std::vector<PrometheusSample> samples;
};

// A sample with an integer value.
PrometheusSample CountSample(std::uint64_t value,
                             std::vector<std::pair<std::string, std::string>> labels = {});

std::string EncodePrometheusText(std::span<const PrometheusMetric> metrics);

}  // namespace fieldproof::codec
