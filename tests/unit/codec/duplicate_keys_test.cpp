// A key twice in one object is refused everywhere in a payload (JSON Schema cannot say so,
// so this lives here rather than in schemas/examples).
#include <gtest/gtest.h>

#include "gateway/codec/message_codec.hpp"

namespace fieldproof::codec {
namespace {

TEST(DuplicateKeysTest, AreMalformedAtAnyDepthAndNamed) {
  const std::string telemetry_start =
      R"({"msg_id":"m-1","asset_id":"A-1","site":"FRA","device_time":"2026-11-02T06:00:00Z",)";
  for (const std::string& payload : {
           telemetry_start + R"("readings":[{"type":"heartbeat","uptime_s":1}],"site":"MUC"})",
           telemetry_start + R"("readings":[{"type":"battery","percent":50,"percent":90}]})",
       }) {
    const auto decoded = DecodeTelemetry(payload);
    ASSERT_FALSE(decoded.ok()) << payload;
    EXPECT_EQ(decoded.error().reason, core::RejectReason::kMalformedJson);
    EXPECT_NE(decoded.error().detail.find("appears twice"), std::string::npos)
        << decoded.error().detail;
  }
}

TEST(DuplicateKeysTest, TheSameKeyInSiblingObjectsIsFine) {
  const auto decoded = DecodeTelemetry(
      R"({"msg_id":"m-1","asset_id":"A-1","site":"FRA","device_time":"2026-11-02T06:00:00Z",)"
      R"("readings":[{"type":"heartbeat","uptime_s":1},{"type":"battery","percent":50}]})");
  EXPECT_TRUE(decoded.ok()) << decoded.error().detail;
}

}  // namespace
}  // namespace fieldproof::codec
