// ProgressReporter (sqlite_db.hpp): reports while a long statement runs, and stops when it
// goes out of scope.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "gateway/store/sqlite_db.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

using namespace std::chrono_literals;

// About a second of SQLite work on this machine, without touching the disk.
constexpr std::string_view kLongQuery =
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) "
    "SELECT count(*) FROM n";

TEST(ProgressReporterTest, ReportsDuringALongStatementAndNotAfterItIsGone) {
  testing::TempDir dir;
  Database db(dir.File("progress.db"));
  std::vector<std::chrono::seconds> reports;
  {
    const ProgressReporter reporter(
        db, 0ms, [&](std::chrono::seconds elapsed) { reports.push_back(elapsed); });
    EXPECT_EQ(db.QueryInt(kLongQuery), 3'000'000);
  }
  ASSERT_GT(reports.size(), 1u);
  for (std::size_t i = 1; i < reports.size(); ++i) EXPECT_GE(reports[i], reports[i - 1]);

  const std::size_t before = reports.size();
  EXPECT_EQ(db.QueryInt(kLongQuery), 3'000'000);
  EXPECT_EQ(reports.size(), before);
}

TEST(ProgressReporterTest, ReportsNoMoreThanOncePerPeriod) {
  testing::TempDir dir;
  Database db(dir.File("progress.db"));
  int reports = 0;
  const ProgressReporter reporter(db, 1h, [&](std::chrono::seconds) { ++reports; });
  EXPECT_EQ(db.QueryInt(kLongQuery), 3'000'000);
  EXPECT_EQ(reports, 0);
}

}  // namespace
}  // namespace fieldproof::store
