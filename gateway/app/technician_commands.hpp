#pragma once
// `fieldproof technician set-pin`: the PIN a technician signs in with on a handheld
// (docs/handheld.md). The PIN is read from standard input, never from the command line.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace fieldproof::app {

class TechnicianCommands {
 public:
  explicit TechnicianCommands(CLI::App& app);
  std::optional<int> Run(const std::string& db_path);

 private:
  CLI::App* set_pin_ = nullptr;
  std::string technician_id_, site_;
};

}  // namespace fieldproof::app
