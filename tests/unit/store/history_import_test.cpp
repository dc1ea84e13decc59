// Inspections from before fieldproof enter the record chain as "imported" records: the
// schedule counts them, billing never does; unknown assets and future dates are refused,
// and importing the same file again changes nothing.
#include "gateway/store/history_import.hpp"

#include <gtest/gtest.h>

#include "gateway/codec/registry_csv.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/store/invoice_store.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/record_chain.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

using testing::kNow;
using testing::MakeAsset;

TEST(HistoryImportTest, PastInspectionsAreChainedCountedForTheScheduleAndNeverBilled) {
  testing::TempDir dir;
  Database db(dir.File("history.db"));
  Migrate(db);
  std::vector<codec::RegistryFile<core::Asset>::Row> assets = {{2, MakeAsset("A-1", "04000000000001")}};
  ASSERT_TRUE(RegistryStore(db).ImportAssets(assets, kNow).errors.empty());
  const auto file = codec::ParseHistoryCsv(
      "asset_id,inspected_at,inspected_by,result\n"
      "A-1,2026-03-01T08:00:00Z,Old contractor,pass\n"
      "A-1,2025-09-01T08:00:00Z,Old contractor,fail\n"
      "NOPE,2026-03-01T08:00:00Z,Old contractor,pass\n"
      "A-1,2027-01-01T08:00:00Z,Old contractor,pass\n"
      "A-1,yesterday,Old contractor,pass\n"
      "A-1,2026-04-01T08:00:00Z,Old contractor,maybe\n");
  ASSERT_EQ(file.errors.size(), 2u);
  EXPECT_EQ(file.errors[0].line, 6u);
  EXPECT_NE(file.errors[0].reason.find("not an RFC 3339 time"), std::string::npos);
  EXPECT_NE(file.errors[1].reason.find("neither pass nor fail"), std::string::npos);
  const std::string evidence = codec::EncodeImportEvidence("/exports/cafm-history.csv");
  EXPECT_EQ(evidence, R"({"imported_from":"cafm-history.csv"})");

  const auto first = ImportHistory(db, "FRA", file.rows, evidence, crypto::Sha256Hex, kNow);
  EXPECT_EQ(first.inserted, 2);
  ASSERT_EQ(first.errors.size(), 2u);
  EXPECT_EQ(first.errors[0].line, 4u);
  EXPECT_NE(first.errors[0].reason.find("no asset NOPE"), std::string::npos) << first.errors[0].reason;
  EXPECT_EQ(first.errors[1].line, 5u);
  EXPECT_NE(first.errors[1].reason.find("in the future"), std::string::npos);
  const auto again = ImportHistory(db, "FRA", file.rows, evidence, crypto::Sha256Hex, kNow);
  EXPECT_EQ(again.inserted, 0);
  EXPECT_EQ(again.unchanged, 2);

  const auto records = RecordChain(db, crypto::Sha256Hex).Load("FRA");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_TRUE(core::VerifyChain(records, crypto::Sha256Hex).empty());
  EXPECT_EQ(records[0].kind, "imported");
  EXPECT_EQ(records[0].verdict, "verified_with_defects") << "oldest first";
  EXPECT_EQ(records[1].verdict, "verified");
  EXPECT_EQ(records[1].next_due_at, *core::ParseRfc3339("2026-03-01T08:00:00Z") + 182 * core::kDay);
  EXPECT_TRUE(InvoiceStore(db).UnbilledRecords(kNow).empty()) << "imported work is not this contractor's to bill";
}

}  // namespace
}  // namespace fieldproof::store
