// The fieldproof CLI as an operator uses it: registry import from CAFM CSV exports.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TEST(RegistryCli, ImportsGoodRowsReportsBadOnesByLineAndIsIdempotent) {
  ScratchDir dir;
  const std::string db = dir / "fp.db";
  const std::string csv = dir / "assets.csv";
  Write(csv,
        "asset_id,site,building,floor,location,x_m,y_m,asset_type,tag_uid,interval_days,owner_id,"
        "sensor_equipped\n"
        "A-1,FRA,T1,0,\"Gate A, left\",1.5,2,fire_shutter,04A1B2C3D4E5F6,365,OWN-1,true\n"
        "A-2,FRA,T1,x,Gate B,1,2,fire_shutter,04A1B2C3D4E5F7,365,OWN-1,false\n"
        "A-3,FRA,T1,1,Gate C,1,2,fire_shutter,04A1B2C3D4E5F8,365,OWN-1,no\n"
        "A-4,FRA,T1,1,Gate D,1,2,fire_shutter,NOT-A-UID,365,OWN-1,no\n"
        "A-5,FRA,T1,1,Gate E,1,2,fire_shutter,04A1B2C3D4E5F8,365,OWN-1,no\n");
  const auto first = RunToCompletion({FIELDPROOF_CLI_BIN, "--db", db, "import", "assets", csv}, dir);
  EXPECT_EQ(first.exit_code, 1);  // Some rows refused, the rest imported.
  EXPECT_NE(first.out.find("assets.csv:3: floor: 'x' is not a whole number"), std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("assets.csv:5: tag_uid"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("assets.csv:6: tag_uid FRA/04A1B2C3D4E5F8 repeats line 4"),
            std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("2 inserted, 0 updated, 0 unchanged, 3 rejected"), std::string::npos)
      << first.out;

  const auto again = RunToCompletion({FIELDPROOF_CLI_BIN, "--db", db, "import", "assets", csv}, dir);
  EXPECT_NE(again.out.find("0 inserted, 0 updated, 2 unchanged, 3 rejected"), std::string::npos)
      << again.out;

  const auto stats = RunToCompletion({FIELDPROOF_CLI_BIN, "stats", "--db", db, "--json"}, dir);
  ASSERT_EQ(stats.exit_code, 0) << stats.out;
  EXPECT_EQ(nlohmann::json::parse(stats.out)["assets"], 2);
}

TEST(RegistryCli, RefusesAFileWithoutTheRequiredColumns) {
  ScratchDir dir;
  Write(dir / "t.csv", "technician_id,name\nT-1,Anna\n");
  const auto result =
      RunToCompletion({FIELDPROOF_CLI_BIN, "--db", dir / "fp.db", "import", "technicians", dir / "t.csv"}, dir);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.out.find("header lacks column(s): company, qualifications, sites"),
            std::string::npos)
      << result.out;
}

TEST(RegistryCli, HelpDescribesEveryCommand) {
  ScratchDir dir;
  const auto help = RunToCompletion({FIELDPROOF_CLI_BIN, "--help"}, dir);
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command : {"import", "stats", "rejected"}) {
    EXPECT_NE(help.out.find(command), std::string::npos) << command;
  }
}

}  // namespace
}  // namespace fieldproof::testing
