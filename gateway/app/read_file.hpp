#pragma once
// Reading a whole file the operator named (keys, policies, CSV, contracts).
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace fieldproof::app {

// nullopt when the file cannot be opened.
inline std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace fieldproof::app
