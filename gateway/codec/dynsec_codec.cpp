#include "gateway/codec/dynsec_codec.hpp"

#include <nlohmann/json.hpp>

#include "gateway/core/topic.hpp"

namespace fieldproof::codec {
namespace {

using json = nlohmann::ordered_json;

std::string RoleOf(std::string_view device_id) { return "device-" + std::string(device_id); }

// A removal of what is not there is no failure: closing an account is idempotent.
bool Harmless(std::string_view command, std::string_view error) {
  return (command == "deleteClient" && error == "Client not found") ||
         (command == "deleteRole" && error == "Role not found");
}

json Close(std::string_view device_id, std::string_view correlation) {
  return json::array({{{"command", "deleteClient"},
                       {"username", device_id},
                       {"correlationData", correlation}},
                      {{"command", "deleteRole"},
                       {"rolename", RoleOf(device_id)},
                       {"correlationData", correlation}}});
}

}  // namespace

std::string EncodeOpenDeviceAccount(const DeviceAccount& a, std::string_view correlation) {
  const std::string taps = core::TapTopic(a.site, a.device_id);
  json commands = Close(a.device_id, correlation);
  auto acl = [](const char* type, const std::string& topic) {
    return json{{"acltype", type}, {"topic", topic}, {"priority", 0}, {"allow", true}};
  };
  commands.push_back({{"command", "createRole"},
                      {"rolename", RoleOf(a.device_id)},
                      {"acls", json::array({acl("publishClientSend", taps),
                                            acl("subscribeLiteral", taps + "/verdict"),
                                            acl("subscribeLiteral", taps + "/notice")})},
                      {"correlationData", correlation}});
  commands.push_back({{"command", "createClient"},
                      {"username", a.device_id},
                      {"clientid", a.device_id},
                      {"password", a.password},
                      {"roles", json::array({{{"rolename", RoleOf(a.device_id)}}})},
                      {"correlationData", correlation}});
  return json{{"commands", std::move(commands)}}.dump();
}

std::string EncodeCloseDeviceAccount(std::string_view device_id, std::string_view correlation) {
  return json{{"commands", Close(device_id, correlation)}}.dump();
}

DynsecAnswer DecodeDynsecAnswer(std::string_view payload) {
  DynsecAnswer answer;
  const auto j = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("responses") || !j["responses"].is_array()) {
    answer.errors.push_back("the broker's answer is not {\"responses\": [...]}");
    return answer;
  }
  for (const auto& r : j["responses"]) {
    const std::string command = r.value("command", "");
    if (r.contains("correlationData") && r["correlationData"].is_string()) {
      answer.correlation = r["correlationData"];
    }
    if (r.contains("error") && r["error"].is_string() && !Harmless(command, r["error"].get<std::string>())) {
      answer.errors.push_back(command + ": " + r["error"].get<std::string>());
    }
  }
  return answer;
}

}  // namespace fieldproof::codec
