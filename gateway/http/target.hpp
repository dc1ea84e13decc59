#pragma once
// A request target split into its path segments and query parameters, percent-decoded.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fieldproof::http {

struct Target {
  std::vector<std::string> segments;         // "/api/v1/x" -> {"api", "v1", "x"}
  std::map<std::string, std::string> query;  // Last value wins.
};

// nullopt for a malformed target (bad percent escape, not starting with '/').
std::optional<Target> ParseTarget(std::string_view target);

}  // namespace fieldproof::http
