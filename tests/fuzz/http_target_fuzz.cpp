// The request target of every HTTP request, before any route sees it (http::ParseTarget).
// Properties: a parsed target has no empty path segment and no empty query key; a target
// without %, + or ? keeps its segments as written.
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/http/target.hpp"
#include "tests/fuzz/fuzz_check.hpp"

using fieldproof::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto target = fieldproof::http::ParseTarget(text);
  if (!target) return 0;
  Check(!text.empty() && text[0] == '/', "only targets starting with '/' parse");
  for (const auto& segment : target->segments) Check(!segment.empty(), "no empty segment");
  for (const auto& [key, value] : target->query) Check(!key.empty(), "no empty query key");
  if (text.find_first_of("%+?") == std::string_view::npos) {
    std::string joined;
    for (const auto& segment : target->segments) joined += "/" + segment;
    std::string squeezed;  // The text without empty segments.
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '/' && (i + 1 == text.size() || text[i + 1] == '/')) continue;
      squeezed += text[i];
    }
    Check(joined == squeezed, "a plain path keeps its segments:", joined);
  }
  return 0;
}
