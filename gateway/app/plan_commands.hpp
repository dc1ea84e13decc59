#pragma once
// `fieldproof plan import|positions|list`: floor plans and where assets are on them
// (docs/coverage.md, "Floor plans").
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "gateway/codec/registry_csv.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::app {

class PlanCommands {
 public:
  explicit PlanCommands(CLI::App& plan);
  std::optional<int> Run(const std::string& db_path);

 private:
  int Import(const std::string& db_path) const;
  int Positions(const std::string& db_path) const;
  int List(const std::string& db_path) const;
  // Imports one drawing; false (with the reason on stderr) when it is refused.
  bool ImportOne(store::Database& db, const codec::PlanListRow& row, const std::string& path) const;

  CLI::App* import_ = nullptr;
  CLI::App* positions_ = nullptr;
  CLI::App* list_ = nullptr;
  std::string site_, file_, by_;
  codec::PlanListRow single_;  // With --building: one drawing, placed by the options.
  bool as_json_ = false;
};

}  // namespace fieldproof::app
