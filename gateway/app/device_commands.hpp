#pragma once
// `fieldproof device enrol|revoke`: a handheld's own account on the broker's device listener
// (docs/handheld.md). Enrolling prints the account's credentials once; revoking ends it at
// once, disconnecting the device.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace fieldproof::app {

class DeviceCommands {
 public:
  explicit DeviceCommands(CLI::App& app);
  std::optional<int> Run(const std::string& db_path);

 private:
  int Enrol(const std::string& db_path) const;
  int Revoke() const;

  CLI::App* enrol_ = nullptr;
  CLI::App* revoke_ = nullptr;
  std::string device_id_, site_, broker_uri_, admin_file_;
};

}  // namespace fieldproof::app
