// Statement reads a row by column name (sqlite_db.hpp): the alias or the column's own name,
// NULL as an empty optional, and a clear error for a name the result does not have.
#include <gtest/gtest.h>

#include "gateway/store/sqlite_db.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

TEST(StatementColumnsTest, ReadsByAliasOrColumnName) {
  testing::TempDir dir;
  Database db(dir.File("columns.db"));
  db.Exec("CREATE TABLE t (id INTEGER, label TEXT, maybe INTEGER)");
  db.Exec("INSERT INTO t VALUES (7, 'seven', NULL)");
  auto s = db.Prepare("SELECT label, id * 2 AS doubled, maybe, t.id FROM t");
  ASSERT_TRUE(s.Step());
  EXPECT_EQ(s.Text("label"), "seven");
  EXPECT_EQ(s.Int("doubled"), 14);
  EXPECT_EQ(s.Int("id"), 7) << "a qualified column is named by its own name";
  EXPECT_TRUE(s.IsNull("maybe"));
  EXPECT_EQ(s.OptionalInt("maybe"), std::nullopt);
  EXPECT_EQ(s.OptionalText("label"), "seven");
}

TEST(StatementColumnsTest, AnUnknownNameSaysWhichAndWhere) {
  testing::TempDir dir;
  Database db(dir.File("columns.db"));
  auto s = db.Prepare("SELECT 1 AS one");
  ASSERT_TRUE(s.Step());
  try {
    s.Int("two");
    FAIL() << "no column two";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("no column two in: SELECT 1 AS one"), std::string::npos)
        << e.what();
  }
}

TEST(StatementColumnsTest, NamesSurviveAMoveAndAReset) {
  testing::TempDir dir;
  Database db(dir.File("columns.db"));
  auto first = db.Prepare("SELECT ?1 AS value");
  first.Bind(1, std::int64_t{3});
  ASSERT_TRUE(first.Step());
  EXPECT_EQ(first.Int("value"), 3);
  first.Reset();
  Statement moved(std::move(first));
  moved.Bind(1, std::int64_t{4});
  ASSERT_TRUE(moved.Step());
  EXPECT_EQ(moved.Int("value"), 4);
}

}  // namespace
}  // namespace fieldproof::store
