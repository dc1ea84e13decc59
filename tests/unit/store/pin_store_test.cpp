// PinStore: a PIN is kept with its failed attempts; a new PIN and a sign-in clear them, and
// each sign-in is logged.
#include "gateway/store/pin_store.hpp"

#include <gtest/gtest.h>

#include "gateway/store/migrations.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

class PinStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Migrate(db); }
  testing::TempDir dir;
  Database db{dir.File("pins.db")};
  PinStore pins{db};
};

TEST_F(PinStoreTest, APinKeepsItsAttemptsUntilASignInOrANewPin) {
  EXPECT_FALSE(pins.Find("FRA", "T-0007"));
  pins.Set("FRA", "T-0007", {"00ff", "abcd", 1000, {}}, 1);
  pins.SaveAttempts("FRA", "T-0007", {3, 0});
  auto found = pins.Find("FRA", "T-0007");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->salt, "00ff");
  EXPECT_EQ(found->hash, "abcd");
  EXPECT_EQ(found->iterations, 1000);
  EXPECT_EQ(found->attempts.failures, 3);
  EXPECT_FALSE(pins.Find("MUC", "T-0007")) << "a PIN is per site";

  pins.SignedIn("FRA", "T-0007", "HH-0101", 50);
  EXPECT_EQ(pins.Find("FRA", "T-0007")->attempts.failures, 0);
  EXPECT_EQ(db.QueryInt("SELECT count(*) FROM sign_ins WHERE device_id = 'HH-0101'"), 1);

  pins.SaveAttempts("FRA", "T-0007", {0, 9999});
  pins.Set("FRA", "T-0007", {"11ee", "ef01", 1000, {}}, 60);
  found = pins.Find("FRA", "T-0007");
  EXPECT_EQ(found->hash, "ef01");
  EXPECT_EQ(found->attempts.locked_until, 0) << "a new PIN lifts the lock";
}

}  // namespace
}  // namespace fieldproof::store
