#pragma once
// `fieldproof backup` and `fieldproof restore`: online copies of the database through
// SQLite's backup API, safe while the gateway runs, and putting one back.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace fieldproof::app {

class BackupCommands {
 public:
  explicit BackupCommands(CLI::App& app);
  // The exit code when one of the commands was given, else nullopt.
  std::optional<int> Run(const std::string& db_path);

 private:
  CLI::App* backup_ = nullptr;
  CLI::App* restore_ = nullptr;
  std::string to_, from_;
  bool force_ = false;
  int pages_per_step_ = 1024;
  int pause_ms_ = 5;
};

}  // namespace fieldproof::app
