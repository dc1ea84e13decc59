// The dynamic-security plugin's commands and answers (codec/dynsec_codec.hpp).
#include "gateway/codec/dynsec_codec.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace fieldproof::codec {
namespace {

TEST(DynsecCodecTest, AnAccountMayPublishOnlyItsTapsAndReadOnlyItsAnswers) {
  const auto j = nlohmann::json::parse(EncodeOpenDeviceAccount({"FRA", "HH-0101", "pw"}, "c1"));
  const auto& commands = j["commands"];
  ASSERT_EQ(commands.size(), 4u);
  EXPECT_EQ(commands[0]["command"], "deleteClient") << "an earlier account goes first";
  EXPECT_EQ(commands[1]["command"], "deleteRole");
  EXPECT_EQ(commands[2]["command"], "createRole");
  EXPECT_EQ(commands[2]["rolename"], "device-HH-0101");
  const auto& acls = commands[2]["acls"];
  ASSERT_EQ(acls.size(), 3u);
  EXPECT_EQ(acls[0]["acltype"], "publishClientSend");
  EXPECT_EQ(acls[0]["topic"], "fieldproof/v1/FRA/tap/HH-0101");
  EXPECT_EQ(acls[1]["topic"], "fieldproof/v1/FRA/tap/HH-0101/verdict");
  EXPECT_EQ(acls[2]["topic"], "fieldproof/v1/FRA/tap/HH-0101/notice");
  EXPECT_EQ(commands[3]["command"], "createClient");
  EXPECT_EQ(commands[3]["username"], "HH-0101");
  EXPECT_EQ(commands[3]["clientid"], "HH-0101") << "bound to its client id";
  EXPECT_EQ(commands[3]["password"], "pw");
  for (const auto& c : commands) EXPECT_EQ(c["correlationData"], "c1");
}

TEST(DynsecCodecTest, RemovingWhatIsNotThereIsNoError) {
  const auto answer = DecodeDynsecAnswer(
      R"({"responses":[{"command":"deleteClient","error":"Client not found","correlationData":"c2"},
                       {"command":"deleteRole","error":"Role not found","correlationData":"c2"},
                       {"command":"createRole","correlationData":"c2"},
                       {"command":"createClient","error":"Client already exists","correlationData":"c2"}]})");
  EXPECT_EQ(answer.correlation, "c2");
  ASSERT_EQ(answer.errors.size(), 1u);
  EXPECT_EQ(answer.errors[0], "createClient: Client already exists");
}

TEST(DynsecCodecTest, AnAnswerThatDoesNotParseIsAnError) {
  EXPECT_EQ(DecodeDynsecAnswer("not json").errors.size(), 1u);
  EXPECT_EQ(DecodeDynsecAnswer(R"({"responses": 3})").errors.size(), 1u);
}

}  // namespace
}  // namespace fieldproof::codec
