// The review request's decoder and the page shape of view_codec (the API's whole answers are
// checked against docs/openapi.yaml by ApiTest.ResponsesMatchTheOpenApiDescription).
#include "gateway/codec/view_codec.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace fieldproof::codec {
namespace {

TEST(ViewCodecTest, DecodesAReviewRequest) {
  std::string error;
  const auto request = DecodeReviewRequest(
      R"({"inspection_id": 12, "decision": "rejected", "reason": "no test"})", &error);
  ASSERT_TRUE(request) << error;
  EXPECT_EQ(request->inspection_id, 12);
  EXPECT_FALSE(request->verified);
  EXPECT_EQ(request->reason, "no test");
}

TEST(ViewCodecTest, RefusesAReviewRequestOfAnyOtherShape) {
  for (const char* body :
       {"", "[1]", "{}", R"({"inspection_id": "12", "decision": "verified", "reason": ""})",
        R"({"inspection_id": 1.5, "decision": "verified", "reason": ""})",
        R"({"inspection_id": 12, "decision": "verified"})"}) {
    std::string error;
    EXPECT_FALSE(DecodeReviewRequest(body, &error)) << body;
    EXPECT_NE(error.find("body must be"), std::string::npos) << body;
  }
  std::string error;
  EXPECT_FALSE(DecodeReviewRequest(
      R"({"inspection_id": 12, "decision": "maybe", "reason": "x"})", &error));
  EXPECT_EQ(error, "decision must be verified or rejected");
}

TEST(ViewCodecTest, APageSaysWhereTheNextOneStarts) {
  core::Page<core::RejectedMessage> page{{{}, {}}, {2, 4}, true};
  auto j = nlohmann::json::parse(EncodeRejectedPage(page));
  EXPECT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["next_offset"], 6);
  page.more = false;
  j = nlohmann::json::parse(EncodeRejectedPage(page));
  EXPECT_TRUE(j["next_offset"].is_null());
}

TEST(ViewCodecTest, TextThatIsNotUtf8BecomesReplacementCharacters) {
  core::RejectedMessage m;
  m.payload_start = "ab\xff";
  const std::string json = EncodeRejectedArray(std::span(&m, 1));
  EXPECT_NE(json.find("ab\xEF\xBF\xBD"), std::string::npos) << json;
}

}  // namespace
}  // namespace fieldproof::codec
