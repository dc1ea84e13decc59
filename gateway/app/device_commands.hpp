#pragma once
// `fieldproof device enrol|revoke`: a handheld's own account on the broker's device listener
// (docs/handheld.md). Enrolling prints a one-time code (and its QR code) that the handheld's
// app exchanges at the gateway for its credentials, or with --print-credentials the
// credentials themselves; revoking ends the account at once, disconnecting the device.
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
  int PrintCredentials() const;
  int Revoke(const std::string& db_path) const;

  CLI::App* enrol_ = nullptr;
  CLI::App* revoke_ = nullptr;
  std::string device_id_, site_, broker_uri_, admin_file_, app_url_;
  int valid_minutes_ = 60;
  bool print_credentials_ = false;
};

}  // namespace fieldproof::app
