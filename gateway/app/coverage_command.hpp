#pragma once
// `fieldproof coverage`: the compliance coverage of a site as of a day, for facility owners
// and auditors.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace fieldproof::app {

class CoverageCommand {
 public:
  explicit CoverageCommand(CLI::App& app);
  // The exit code when the command was given, else nullopt.
  std::optional<int> Run(const std::string& db_path);

 private:
  CLI::App* command_ = nullptr;
  std::string site_, as_of_, format_ = "table", out_;
  std::int64_t due_soon_days_ = 30;
  int months_ = 12;
};

}  // namespace fieldproof::app
