// Identifier rules (schemas/common.json patterns) at their boundaries.
#include "gateway/core/identifiers.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace fieldproof::core {
namespace {

struct IdCase {
  std::string text;
  bool valid;
};

std::string Repeat(char c, std::size_t n) { return std::string(n, c); }

using Rule = bool (*)(std::string_view);

void CheckTable(Rule rule, const char* rule_name, const std::vector<IdCase>& cases) {
  for (const IdCase& c : cases) {
    EXPECT_EQ(rule(c.text), c.valid) << rule_name << "(\"" << c.text << "\") length "
                                     << c.text.size();
  }
}

TEST(IdentifiersTest, SiteId) {
  CheckTable(IsSiteId, "IsSiteId",
             {
                 {"A", true},
                 {"7", true},
                 {"FRA", true},
                 {"fra-T1_x", true},
                 {Repeat('S', 25), true},
                 {Repeat('S', 26), false},
                 {"", false},
                 {"-FRA", false},
                 {"_FRA", false},
                 {"FR.A", false},  // Dot is not allowed in a site code.
                 {"FR:A", false},
                 {"FR/A", false},
                 {"FR A", false},
                 {"FR+", false},
                 {"FR#", false},
                 {"FRA\n", false},
                 {"FR\xC3\x84", false},  // Non-ASCII letter.
             });
}

TEST(IdentifiersTest, EntityId) {
  CheckTable(IsEntityId, "IsEntityId",
             {
                 {"x", true},
                 {"0", true},
                 {"HH-0042", true},
                 {"FRA-T1.F2_FS-0113", true},
                 {"a.", true},  // Trailing punctuation is fine.
                 {Repeat('e', 64), true},
                 {Repeat('e', 65), false},
                 {"", false},
                 {".a", false},
                 {"-a", false},
                 {"_a", false},
                 {"a:b", false},  // Colon is for msg ids only.
                 {"a b", false},
                 {"a/b", false},
                 {"a+b", false},
             });
}

TEST(IdentifiersTest, MsgId) {
  CheckTable(IsMsgId, "IsMsgId",
             {
                 {"1", true},
                 {"FRA-T1-F2-FS-0113:48213", true},
                 {"01JDAYF0B6C2D8E4F7G9H1J3K5", true},
                 {"a.b_c-d:e", true},
                 {Repeat('m', 64), true},
                 {Repeat('m', 65), false},
                 {"", false},
                 {":a", false},
                 {".a", false},
                 {"-a", false},
                 {"_a", false},
                 {"a b", false},
                 {"a/b", false},
                 {"a#b", false},
             });
}

TEST(IdentifiersTest, AssetType) {
  CheckTable(IsAssetType, "IsAssetType",
             {
                 {"a", true},
                 {"fire_shutter", true},
                 {"smoke_damper2", true},
                 {"a" + Repeat('z', 31), true},
                 {"a" + Repeat('z', 32), false},
                 {"", false},
                 {"1shutter", false},
                 {"_shutter", false},
                 {"Fire_shutter", false},
                 {"fire_Shutter", false},
                 {"fire-shutter", false},
                 {"fire shutter", false},
             });
}

TEST(IdentifiersTest, SnakeCode) {
  CheckTable(IsSnakeCode, "IsSnakeCode",
             {
                 {"a", true},
                 {"1", true},
                 {"_", true},  // No first-character rule here.
                 {"labels_legible", true},
                 {"9_lives", true},
                 {Repeat('c', 32), true},
                 {Repeat('c', 33), false},
                 {"", false},
                 {"Labels", false},
                 {"no-damage", false},
                 {"no damage", false},
                 {"no.damage", false},
             });
}

TEST(IdentifiersTest, TagUid) {
  CheckTable(IsTagUid, "IsTagUid",
             {
                 {"04A1B2C3D4E5F6", true},
                 {"04a1b2c3d4e5f6", true},
                 {"0123456789abcd", true},
                 {"04A1B2C3D4E5F", false},    // 13
                 {"04A1B2C3D4E5F60", false},  // 15
                 {"", false},
                 {"04A1B2C3D4E5G6", false},
                 {"04:A1:B2:C3:D4", false},
                 {"04A1B2C3D4E5F ", false},
             });
}

TEST(IdentifiersTest, Firmware) {
  CheckTable(IsFirmware, "IsFirmware",
             {
                 {"1", true},
                 {"hh-2.4.1", true},
                 {"1.0.0+build_7", true},
                 {"-leading-dash-ok", true},  // The firmware rule has no first-char rule.
                 {".x", true},
                 {Repeat('f', 32), true},
                 {Repeat('f', 33), false},
                 {"", false},
                 {"hh 2.4", false},
                 {"hh/2.4", false},
                 {"hh:2", false},
             });
}

TEST(IdentifiersTest, CodePointCount) {
  struct Case {
    std::string_view text;
    std::size_t expected;
  };
  const std::vector<Case> cases = {
      {"", 0},
      {"abc", 3},
      {"\xC3\xA4", 1},                  // U+00E4, 2 bytes
      {"\xE2\x82\xAC", 1},              // U+20AC, 3 bytes
      {"\xF0\x9F\x94\xA5", 1},          // U+1F525, 4 bytes
      {"a\xC3\xA4\xE2\x82\xAC" "b", 4},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CodePointCount(c.text), c.expected) << "bytes: " << c.text.size();
  }
}

TEST(IdentifiersTest, TheAssetIdInATagUrlIsItsLastPathSegment) {
  EXPECT_EQ(EntityIdInTagUrl("https://tag.example/t/FRA-T1-F2-FS-0113?picc_data=00&cmac=00"),
            "FRA-T1-F2-FS-0113");
  EXPECT_EQ(EntityIdInTagUrl("https://tag.example/t?picc_data=00"), "t");
  EXPECT_EQ(EntityIdInTagUrl("https://tag.example/FRA-1#x"), "FRA-1");
  EXPECT_EQ(EntityIdInTagUrl("https://tag.example?picc_data=00"), "");
  EXPECT_EQ(EntityIdInTagUrl("https://tag.example/t/?picc_data=00"), "");
  EXPECT_EQ(EntityIdInTagUrl("https://tag.example/t/a%20b?x"), "");
  EXPECT_EQ(EntityIdInTagUrl("no url at all"), "");
}

}  // namespace
}  // namespace fieldproof::core
