// PhotoStore: a photo is kept once under its hash, whoever sends it again.
#include "gateway/store/photo_store.hpp"

#include <gtest/gtest.h>

#include "gateway/store/migrations.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

TEST(PhotoStoreTest, KeepsAPhotoOnceUnderItsHash) {
  testing::TempDir dir;
  Database db(dir.File("photos.db"));
  Migrate(db);
  PhotoStore photos(db);
  const std::string hash(64, 'b');
  const std::string content("\xFF\xD8\xFF\xE0 jpeg bytes \0 with a NUL", 28);
  EXPECT_TRUE(photos.Save(hash, core::ImageType::kJpeg, content, "HH-0101", 1000));
  EXPECT_FALSE(photos.Save(hash, core::ImageType::kJpeg, content, "HH-0202", 2000))
      << "a resend is not a second photo";
  const auto info = photos.Find(hash);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->media_type, "image/jpeg");
  EXPECT_EQ(info->size, 28);
  EXPECT_EQ(info->device_id, "HH-0101") << "the first upload is the one kept";
  EXPECT_EQ(info->uploaded_at, 1000);
  const auto kept = photos.Content(hash);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->first, content) << "binary content, NUL included, comes back unchanged";
  EXPECT_EQ(kept->second, "image/jpeg");
  EXPECT_FALSE(photos.Find(std::string(64, 'c')));
  EXPECT_FALSE(photos.Content(std::string(64, 'c')));
}

}  // namespace
}  // namespace fieldproof::store
