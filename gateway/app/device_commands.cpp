#include "gateway/app/device_commands.hpp"

#include <iostream>

#include "gateway/app/device_accounts.hpp"
#include "gateway/codec/view_codec.hpp"
#include "gateway/core/text.hpp"
#include "gateway/crypto/random.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/registry_store.hpp"

namespace fieldproof::app {

DeviceCommands::DeviceCommands(CLI::App& app) {
  auto* device = app.add_subcommand(
      "device", "Handhelds' own accounts on the broker's device listener (docs/handheld.md)");
  device->require_subcommand(1);
  auto broker_options = [this](CLI::App* command) {
    command->add_option("--devices-broker", broker_uri_,
                        "The broker's device listener, where its dynamic-security plugin "
                        "answers, e.g. ws://127.0.0.1:9001")
        ->required();
    command->add_option("--broker-admin-file", admin_file_,
                        "File (mode 600) holding the plugin's admin as username:password")
        ->required();
  };
  enrol_ = device->add_subcommand(
      "enrol", "Give a registered handheld its own account and print its credentials (once)");
  enrol_->add_option("device_id", device_id_, "The handheld's device id")->required();
  enrol_->add_option("--site", site_, "The site it is registered at")->required();
  broker_options(enrol_);
  revoke_ = device->add_subcommand(
      "revoke", "End a handheld's account at once: the broker disconnects it");
  revoke_->add_option("device_id", device_id_, "The handheld's device id")->required();
  broker_options(revoke_);
}

std::optional<int> DeviceCommands::Run(const std::string& db_path) {
  if (!*enrol_ && !*revoke_) return std::nullopt;
  try {
    return *enrol_ ? Enrol(db_path) : Revoke();
  } catch (const std::exception& e) {
    std::cerr << "error: " << core::PrintableText(e.what()) << "\n";
    return 1;
  }
}

int DeviceCommands::Enrol(const std::string& db_path) const {
  store::Database db(db_path);
  store::Migrate(db);
  if (!store::RegistryStore(db).FindDeviceCompany(site_, device_id_)) {
    std::cerr << "error: " << core::PrintableText(device_id_) << " is no registered handheld of "
              << core::PrintableText(site_) << " (fieldproof import devices)\n";
    return 2;
  }
  const codec::DeviceAccount account{site_, device_id_, crypto::RandomHex(24)};
  DeviceAccounts(DeviceAccounts::ConfigFrom(broker_uri_, admin_file_)).Open(account);
  std::cout << codec::EncodeDeviceCredentials({device_id_, site_, broker_uri_, account.password});
  std::cerr << "device " << device_id_ << " enrolled; its password is shown only now\n";
  return 0;
}

int DeviceCommands::Revoke() const {
  DeviceAccounts(DeviceAccounts::ConfigFrom(broker_uri_, admin_file_)).Close(device_id_);
  std::cout << "device " << device_id_ << " revoked: disconnected, and refused from now on\n";
  return 0;
}

}  // namespace fieldproof::app
