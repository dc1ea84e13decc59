#pragma once
// `fieldproof token create|list|revoke`: API tokens for facility owners, billing staff,
// supervisors and administrators.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace fieldproof::app {

class TokenCommands {
 public:
  explicit TokenCommands(CLI::App& app);
  std::optional<int> Run(const std::string& db_path);

 private:
  CLI::App* create_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* revoke_ = nullptr;
  std::string name_, role_, customer_;
};

}  // namespace fieldproof::app
