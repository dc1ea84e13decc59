// Photos are told by their content (core/image.hpp), never by their name.
#include "gateway/core/image.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fieldproof::core {
namespace {

const std::string kPngStart("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR\x00\x00\x00\x01", 20);
const std::string kJpegStart("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10);

TEST(ImageTest, TellsJpegAndPngByTheirFirstBytes) {
  EXPECT_EQ(SniffImage(kJpegStart), ImageType::kJpeg);
  EXPECT_EQ(SniffImage(kPngStart), ImageType::kPng);
  EXPECT_EQ(MediaType(ImageType::kJpeg), "image/jpeg");
  EXPECT_EQ(MediaType(ImageType::kPng), "image/png");
}

TEST(ImageTest, RefusesEverythingElse) {
  for (const std::string& bytes :
       {std::string(), std::string("GIF89a\x01\x00\x01\x00", 10), std::string("photo.jpg"),
        std::string("\xFF\xD8\xFF", 3),                 // SOI and nothing after the marker byte
        std::string("\xFF\xD8\xFF\x00\x00", 5),         // not a marker after SOI
        kPngStart.substr(0, 15),                        // cut before the IHDR type
        std::string("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIDAT", 16),  // first chunk not IHDR
        std::string("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")}) {
    EXPECT_FALSE(SniffImage(bytes)) << bytes.size() << " bytes";
  }
}

TEST(ImageTest, APhotoIsNamedBy64LowercaseHexDigits) {
  const std::string hash(64, 'a');
  EXPECT_TRUE(IsPhotoHash(hash));
  EXPECT_TRUE(IsPhotoHash("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(IsPhotoHash(std::string(63, 'a')));
  EXPECT_FALSE(IsPhotoHash(std::string(65, 'a')));
  EXPECT_FALSE(IsPhotoHash(std::string(64, 'A')));
  EXPECT_FALSE(IsPhotoHash(std::string(62, 'a') + "..")) << "no path characters";
}

}  // namespace
}  // namespace fieldproof::core
