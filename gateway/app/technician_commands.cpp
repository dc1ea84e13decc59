#include "gateway/app/technician_commands.hpp"

#include <iostream>

#include "gateway/app/system_clock.hpp"
#include "gateway/core/technician_pin.hpp"
#include "gateway/crypto/random.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/pin_store.hpp"
#include "gateway/store/registry_store.hpp"

namespace fieldproof::app {

TechnicianCommands::TechnicianCommands(CLI::App& app) {
  auto* technician = app.add_subcommand("technician", "Technicians' sign-in on handhelds");
  technician->require_subcommand(1);
  set_pin_ = technician->add_subcommand(
      "set-pin",
      "Set a technician's PIN (4 to 12 digits, read from standard input); it also lifts a lock "
      "after wrong PINs");
  set_pin_->add_option("technician_id", technician_id_, "The technician, e.g. T-0007")->required();
  set_pin_->add_option("--site", site_, "The site the technician is registered at")->required();
}

std::optional<int> TechnicianCommands::Run(const std::string& db_path) {
  if (!*set_pin_) return std::nullopt;
  store::Database db(db_path);
  store::Migrate(db);
  if (!store::RegistryStore(db).FindTechnician(site_, technician_id_)) {
    std::cerr << "error: no technician " << technician_id_ << " at site " << site_
              << " (fieldproof import technicians)\n";
    return 1;
  }
  std::string pin;
  std::getline(std::cin, pin);
  if (!core::IsPin(pin)) {
    std::cerr << "error: a PIN is 4 to 12 digits, given on standard input\n";
    return 2;
  }
  const std::string salt = crypto::RandomHex(16);
  store::PinStore(db).Set(site_, technician_id_,
                          {salt, crypto::Pbkdf2Sha256Hex(pin, salt, core::kPinIterations),
                           core::kPinIterations, {}},
                          NowMillis());
  std::cout << "PIN of " << technician_id_ << " at " << site_ << " set\n";
  return 0;
}

}  // namespace fieldproof::app
