#pragma once
// `fieldproof tag install|history|import-supplied`: commissioning NFC tags
// (docs/handheld.md). A tag is installed on an asset only with a valid SUN read of it;
// replacing one retires the old tag for good; a supplier's UID list limits what may be
// installed.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace fieldproof::app {

class TagCommands {
 public:
  explicit TagCommands(CLI::App& tag);
  std::optional<int> Run(const std::string& db_path);

 private:
  int Install(const std::string& db_path) const;
  int History(const std::string& db_path) const;
  int ImportSupplied(const std::string& db_path) const;

  CLI::App* install_ = nullptr;
  CLI::App* history_ = nullptr;
  CLI::App* import_ = nullptr;
  std::string asset_id_, site_, url_, master_key_file_, by_, reason_, file_, batch_;
  bool replace_ = false;
  bool as_json_ = false;
};

}  // namespace fieldproof::app
