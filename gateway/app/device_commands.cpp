#include "gateway/app/device_commands.hpp"

#include <iostream>

#include "gateway/app/device_accounts.hpp"
#include "gateway/app/qr_text.hpp"
#include "gateway/app/system_clock.hpp"
#include "gateway/codec/view_codec.hpp"
#include "gateway/core/enrolment_code.hpp"
#include "gateway/core/text.hpp"
#include "gateway/core/timestamp.hpp"
#include "gateway/crypto/random.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/store/enrolment_store.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/registry_store.hpp"
#include "gateway/store/token_store.hpp"

namespace fieldproof::app {

DeviceCommands::DeviceCommands(CLI::App& app) {
  auto* device = app.add_subcommand(
      "device", "Handhelds' own accounts on the broker's device listener (docs/handheld.md)");
  device->require_subcommand(1);
  auto broker_options = [this](CLI::App* command) {
    command->add_option("--devices-broker", broker_uri_,
                        "The broker's device listener, where its dynamic-security plugin "
                        "answers, e.g. ws://127.0.0.1:9001");
    command->add_option("--broker-admin-file", admin_file_,
                        "File (mode 600) holding the plugin's admin as username:password");
  };
  enrol_ = device->add_subcommand(
      "enrol", "Print a one-time code (and QR code) that enrols a registered handheld");
  enrol_->add_option("device_id", device_id_, "The handheld's device id")->required();
  enrol_->add_option("--site", site_, "The site it is registered at")->required();
  enrol_->add_option("--valid-min", valid_minutes_, "Minutes the code stays valid")
      ->check(CLI::Range(1, 7 * 24 * 60))
      ->capture_default_str();
  enrol_->add_option("--app-url", app_url_,
                     "The handhelds' app (https://…/app/): the QR code then opens it with the code");
  enrol_->add_flag("--print-credentials", print_credentials_,
                   "Open the account now and print its credentials instead (for a handheld set "
                   "up by hand; needs --devices-broker and --broker-admin-file)");
  broker_options(enrol_);
  revoke_ = device->add_subcommand(
      "revoke", "End a handheld's account at once: the broker disconnects it, its codes and "
                "its API token stop working");
  revoke_->add_option("device_id", device_id_, "The handheld's device id")->required();
  broker_options(revoke_);
}

std::optional<int> DeviceCommands::Run(const std::string& db_path) {
  if (!*enrol_ && !*revoke_) return std::nullopt;
  try {
    return *enrol_ ? Enrol(db_path) : Revoke(db_path);
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
  if (print_credentials_) return PrintCredentials();
  std::array<std::uint8_t, core::kEnrolmentCodeBytes> random{};
  crypto::RandomFill(random);
  const std::string code = core::FormatEnrolmentCode(random);
  const core::UnixMillis now = NowMillis();
  const core::UnixMillis expires = now + valid_minutes_ * core::kMinute;
  store::EnrolmentStore(db).Save(crypto::Sha256Hex(*core::NormalizeEnrolmentCode(code)),
                                 {device_id_, site_}, now, expires);
  std::cout << QrText(app_url_.empty() ? code : app_url_ + "#enrol=" + code) << "\n"
            << code << "\n";
  std::cerr << "enrolment code for " << device_id_ << " at " << site_ << ", valid until "
            << core::FormatRfc3339(expires) << ", once: scan it or type it in the app\n";
  return 0;
}

int DeviceCommands::PrintCredentials() const {
  if (broker_uri_.empty() || admin_file_.empty()) {
    std::cerr << "error: --print-credentials needs --devices-broker and --broker-admin-file\n";
    return 2;
  }
  const codec::DeviceAccount account{site_, device_id_, crypto::RandomHex(24)};
  DeviceAccounts(DeviceAccounts::ConfigFrom(broker_uri_, admin_file_)).Open(account);
  std::cout << codec::EncodeDeviceCredentials(
      {device_id_, site_, broker_uri_, account.password, ""});
  std::cerr << "device " << device_id_ << " enrolled; its password is shown only now\n";
  return 0;
}

int DeviceCommands::Revoke(const std::string& db_path) const {
  if (broker_uri_.empty() || admin_file_.empty()) {
    std::cerr << "error: revoke needs --devices-broker and --broker-admin-file\n";
    return 2;
  }
  DeviceAccounts(DeviceAccounts::ConfigFrom(broker_uri_, admin_file_)).Close(device_id_);
  store::Database db(db_path);
  store::Migrate(db);
  const core::UnixMillis now = NowMillis();
  store::EnrolmentStore(db).Cancel(device_id_, now);
  store::TokenStore(db, crypto::Sha256Hex).Revoke(device_id_, now);
  std::cout << "device " << device_id_ << " revoked: disconnected, and refused from now on\n";
  return 0;
}

}  // namespace fieldproof::app
