// EnrolmentStore: a code works once, until it expires, and a newer code or a revocation
// ends the older ones.
#include "gateway/store/enrolment_store.hpp"

#include <gtest/gtest.h>

#include "gateway/store/migrations.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

class EnrolmentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Migrate(db); }
  testing::TempDir dir;
  Database db{dir.File("enrol.db")};
  EnrolmentStore enrolments{db};
};

TEST_F(EnrolmentStoreTest, ACodeIsTakenOnceBeforeItExpires) {
  enrolments.Save("hash-1", {"HH-0101", "FRA"}, 1000, 5000);
  const auto taken = enrolments.Take("hash-1", 2000);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->device_id, "HH-0101");
  EXPECT_EQ(taken->site, "FRA");
  EXPECT_FALSE(enrolments.Take("hash-1", 2001)) << "once";
  enrolments.Release("hash-1");
  EXPECT_TRUE(enrolments.Take("hash-1", 2002)) << "released after the broker failed";
  enrolments.Save("hash-2", {"HH-0102", "FRA"}, 1000, 5000);
  EXPECT_FALSE(enrolments.Take("hash-2", 5000)) << "expired";
  EXPECT_FALSE(enrolments.Take("unknown", 2000));
}

TEST_F(EnrolmentStoreTest, ANewCodeOrARevocationEndsTheOlderCodes) {
  enrolments.Save("old", {"HH-0101", "FRA"}, 1000, 9000);
  enrolments.Save("new", {"HH-0101", "FRA"}, 2000, 9000);
  EXPECT_FALSE(enrolments.Take("old", 3000));
  enrolments.Save("other", {"HH-0102", "FRA"}, 2000, 9000);
  enrolments.Cancel("HH-0101", 3000);
  EXPECT_FALSE(enrolments.Take("new", 3001));
  EXPECT_TRUE(enrolments.Take("other", 3001)) << "another handheld's code is untouched";
}

}  // namespace
}  // namespace fieldproof::store
