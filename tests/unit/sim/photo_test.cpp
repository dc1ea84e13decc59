// The simulated handheld's photos: real PNGs, one per visit, named in the end tap.
#include "firmware-sim/photo.hpp"

#include <gtest/gtest.h>

#include "firmware-sim/scenario.hpp"
#include "gateway/codec/message_codec.hpp"
#include "gateway/core/image.hpp"
#include "gateway/crypto/sha256.hpp"

namespace fieldproof::sim {
namespace {

TEST(SimulatedPhotoTest, IsAPngThatDiffersBySeed) {
  const std::string photo = SimulatedPhoto(1);
  EXPECT_EQ(core::SniffImage(photo), core::ImageType::kPng);
  EXPECT_EQ(photo, SimulatedPhoto(1));
  EXPECT_NE(photo, SimulatedPhoto(2));
  // Signature, IHDR (13 bytes), IDAT (a stored zlib stream of 60 rows of 1 + 80 × 3 bytes),
  // IEND: each chunk with its length, type and CRC.
  EXPECT_EQ(photo.size(), 8 + (12 + 13) + (12 + 2 + 5 + 60 * 241 + 4) + 12u);
  EXPECT_EQ(photo.substr(12, 4), "IHDR");
  EXPECT_EQ(photo.substr(photo.size() - 8, 4), "IEND");
}

TEST(SimulatedPhotoTest, AScenarioWithPhotosNamesEachInItsEndTap) {
  SiteSpec site_spec;
  site_spec.assets = 20;
  site_spec.technicians = 2;
  const Site site = GenerateSite(site_spec);
  ScenarioSpec spec;
  spec.photo_ratio = 1;
  Scenario scenario(site, spec);
  int end_taps = 0;
  for (int i = 0; i < 400 && end_taps < 5; ++i) {
    const Outbound message = scenario.Next();
    if (message.kind != Outbound::Kind::kTap) continue;
    const auto tap = codec::DecodeTap(message.payload);
    ASSERT_TRUE(tap.ok());
    if (tap.value().kind != core::TapKind::kEnd) {
      EXPECT_TRUE(message.photos.empty());
      continue;
    }
    ++end_taps;
    ASSERT_EQ(message.photos.size(), 1u);
    EXPECT_EQ(tap.value().photos, std::vector<std::string>{crypto::Sha256Hex(message.photos[0])});
  }
  EXPECT_EQ(end_taps, 5);
}

}  // namespace
}  // namespace fieldproof::sim
