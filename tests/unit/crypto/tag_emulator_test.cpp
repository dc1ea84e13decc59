#include "gateway/crypto/tag_emulator.hpp"

#include <gtest/gtest.h>

#include <random>

#include "gateway/crypto/key_diversification.hpp"
#include "gateway/crypto/sun_message.hpp"
#include "tests/unit/crypto/crypto_test_util.hpp"

namespace fieldproof::crypto {
namespace {

using testing::ArrayFromHex;
using testing::KeyFromHex;

const Key128 kMaster = KeyFromHex("000102030405060708090A0B0C0D0E0F");

TagEmulator::Config MakeConfig(std::uint32_t start) {
  TagEmulator::Config config;
  config.base_url = "https://fp.example/t";
  config.uid = ArrayFromHex<7>("04A1B2C3D4E5F6");
  config.meta_read_key = SiteMetaReadKey(kMaster, "AMS-T2");
  config.file_read_key = TagFileReadKey(kMaster, config.uid);
  config.read_counter = start;
  return config;
}

SunVerification Verify(const std::string& url) {
  std::string error;
  const auto parts = ParseSunUrl(url, &error);
  EXPECT_TRUE(parts.has_value()) << error;
  if (!parts) return {};
  return VerifySun(
      *parts, SiteMetaReadKey(kMaster, "AMS-T2"),
      [](std::span<const std::uint8_t, 7> uid) { return TagFileReadKey(kMaster, uid); });
}

TEST(TagEmulatorTest, EachReadIncrementsTheCounter) {
  TagEmulator tag(MakeConfig(0));
  EXPECT_EQ(tag.read_counter(), 0u);
  std::mt19937 rng(7);
  std::string previous;
  for (std::uint32_t expected = 1; expected <= 20; ++expected) {
    const auto url = tag.Read(rng);
    ASSERT_TRUE(url.has_value());
    EXPECT_NE(*url, previous);
    previous = *url;
    const SunVerification v = Verify(*url);
    ASSERT_TRUE(v.valid) << v.reason;
    EXPECT_EQ(v.read_counter, expected);
    EXPECT_EQ(v.uid, tag.uid());
    EXPECT_EQ(tag.read_counter(), expected);
  }
}

TEST(TagEmulatorTest, SamePaddingSameCounterGivesSameUrl) {
  TagEmulator a(MakeConfig(41));
  TagEmulator b(MakeConfig(41));
  const std::array<std::uint8_t, 5> padding{1, 2, 3, 4, 5};
  EXPECT_EQ(a.Read(padding), b.Read(padding));
  EXPECT_THROW(a.Read(std::span<const std::uint8_t>(padding).first(4)), std::invalid_argument);
  EXPECT_EQ(a.read_counter(), 42u);  // A rejected read changes nothing.
}

TEST(TagEmulatorTest, MirrorsFileData) {
  TagEmulator::Config config = MakeConfig(100);
  config.file_data = testing::AsciiBytes("SHUTTER-0042....");
  TagEmulator tag(config);
  const std::array<std::uint8_t, 5> padding{};
  const auto url = tag.Read(padding);
  ASSERT_TRUE(url.has_value());
  EXPECT_NE(url->find("&enc="), std::string::npos);
  const SunVerification v = Verify(*url);
  ASSERT_TRUE(v.valid) << v.reason;
  EXPECT_EQ(v.read_counter, 101u);
  EXPECT_EQ(v.file_data, testing::AsciiBytes("SHUTTER-0042...."));

  tag.set_file_data({});
  const SunVerification v2 = Verify(*tag.Read(padding));
  ASSERT_TRUE(v2.valid);
  EXPECT_FALSE(v2.file_data.has_value());
}

TEST(TagEmulatorTest, StopsAtCounterLimit) {
  TagEmulator tag(MakeConfig(0xFFFFFE));
  const std::array<std::uint8_t, 5> padding{5, 4, 3, 2, 1};
  const auto last = tag.Read(padding);
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(Verify(*last).read_counter, 0xFFFFFFu);
  EXPECT_FALSE(tag.Read(padding).has_value());
  EXPECT_EQ(tag.read_counter(), 0xFFFFFFu);
}

}  // namespace
}  // namespace fieldproof::crypto
