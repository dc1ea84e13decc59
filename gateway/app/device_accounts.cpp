#include "gateway/app/device_accounts.hpp"

#include <stdexcept>

#include "gateway/app/process_limits.hpp"
#include "gateway/app/read_file.hpp"
#include "gateway/crypto/random.hpp"

namespace fieldproof::app {

void DeviceAccounts::Open(const codec::DeviceAccount& account) const {
  const std::string correlation = crypto::RandomHex(8);
  Send(codec::EncodeOpenDeviceAccount(account, correlation), correlation);
}

void DeviceAccounts::Close(const std::string& device_id) const {
  const std::string correlation = crypto::RandomHex(8);
  Send(codec::EncodeCloseDeviceAccount(device_id, correlation), correlation);
}

void DeviceAccounts::Send(const std::string& commands, const std::string& correlation) const {
  const std::string answer = control_.Ask(
      std::string(codec::kDynsecTopic), commands, [&](const std::string& payload) {
        return codec::DecodeDynsecAnswer(payload).correlation == correlation;
      });
  const auto errors = codec::DecodeDynsecAnswer(answer).errors;
  if (errors.empty()) return;
  std::string what = "the broker refused";
  for (const auto& e : errors) what += (what.back() == 'd' ? " " : "; ") + e;
  throw std::runtime_error(what);
}

mqtt_adapter::ControlConfig DeviceAccounts::ConfigFrom(const std::string& broker_uri,
                                                       const std::string& admin_file) {
  if (const std::string exposed = ExposedSecret(admin_file, "the broker admin's password");
      !exposed.empty()) {
    throw std::runtime_error(exposed);
  }
  std::string text = ReadFile(admin_file).value_or("");
  text.erase(text.find_last_not_of(" \r\n\t") + 1);
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw std::runtime_error(admin_file + " must hold the broker admin's username:password");
  }
  mqtt_adapter::ControlConfig config;
  config.broker_uri = broker_uri;
  config.username = text.substr(0, colon);
  config.password = text.substr(colon + 1);
  return config;
}

}  // namespace fieldproof::app
