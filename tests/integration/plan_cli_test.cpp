// Floor plans as an operator imports them: the simulator's list of drawings, one drawing on
// its own, and positions; what is not a plan, or would run script, or lies outside the plan is
// refused with its reason while the rest is kept.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

void Write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

class PlanCli : public ::testing::Test {
 protected:
  RunResult Cli(std::vector<std::string> args) {
    std::vector<std::string> argv = {FIELDPROOF_CLI_BIN, "--db", db};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunToCompletion(argv, dir);
  }
  ScratchDir dir;
  const std::string db = dir / "fp.db";
};

TEST_F(PlanCli, TheSimulatedSitesPlansHoldEveryAssetAndBadDrawingsAreRefused) {
  ImportSite(dir, db);  // Imports site/plans/plans.csv.
  const auto listed = Cli({"plan", "list", "--site", "FRA", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.out;
  const auto plans = nlohmann::json::parse(listed.out)["plans"];
  ASSERT_EQ(plans.size(), 6u) << "2 buildings, 3 floors (SiteArgs)";
  int assets = 0;
  for (const auto& p : plans) assets += p["assets"].get<int>();
  EXPECT_EQ(assets, 300) << "every asset on a plan";

  Write(dir / "site/plans/bad.csv",
        "building,floor,file,origin_x_m,origin_y_m,width_m\n"
        "T1,0,T1-F0.svg,-10,-30,240\n"          // Good: replaces the plan.
        "T1,1,../assets.csv,0,0,100\n"           // Not an image.
        "T1,2,evil.svg,0,0,100\n"                // Script.
        "T1,3,missing.svg,0,0,100\n"             // No such file.
        "T2,0,T2-F0.svg,0,0,-5\n");              // No width.
  Write(dir / "site/plans/evil.svg", "<svg viewBox=\"0 0 10 10\" onload=\"fetch('//x')\"></svg>");
  const auto bad = Cli({"plan", "import", "--site", "FRA", dir / "site/plans/bad.csv"});
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_NE(bad.out.find("plan of T1 floor 0: image/svg+xml"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("T1 floor 1: " + (dir / "site/plans/../assets.csv") + ": not a plan: neither PNG nor SVG"),
            std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("T1 floor 2: " + (dir / "site/plans/evil.svg") + ": SVG refused: it has an event handler"),
            std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("T1 floor 3: cannot read"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("bad.csv:6: width_m must be more than 0"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("imported 1 of 5 plans"), std::string::npos) << bad.out;
  EXPECT_NE(Cli({"plan", "list", "--site", "FRA"}).out.find("T1 floor 0: image/svg+xml, 240 x"), std::string::npos);

  // Positions: an asset moved, one unknown, one outside its floor's plan.
  const std::string asset = "FRA-T1-F0-FS-00001";
  Write(dir / "positions.csv", "asset_id,x_m,y_m\n" + asset + ",12.5,20\nNO-SUCH,1,1\nFRA-T1-F0-FS-00002,5000,0\n");
  const auto moved = Cli({"plan", "positions", "--site", "FRA", dir / "positions.csv"});
  EXPECT_EQ(moved.exit_code, 1) << moved.out;
  EXPECT_NE(moved.out.find("positions.csv:3: no asset NO-SUCH at FRA"), std::string::npos) << moved.out;
  EXPECT_NE(moved.out.find("positions.csv:4: FRA-T1-F0-FS-00002 at (5000.0, 0.0) m lies outside the plan of T1 floor 0"),
            std::string::npos) << moved.out;
  EXPECT_NE(moved.out.find("1 moved, 0 unchanged, 2 refused"), std::string::npos) << moved.out;
}

TEST_F(PlanCli, OneDrawingIsPlacedByItsOptions) {
  ImportSite(dir, db);
  const std::string png("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR\x00\x00\x04\x00\x00\x00\x02\x00\x08\x02\x00\x00\x00", 29);
  Write(dir / "t9.png", png);
  const auto missing_width = Cli({"plan", "import", "--site", "FRA", "--building", "T9", "--floor", "1", dir / "t9.png"});
  EXPECT_EQ(missing_width.exit_code, 2);
  EXPECT_NE(missing_width.out.find("--width-m is needed"), std::string::npos) << missing_width.out;
  const auto one = Cli({"plan", "import", "--site", "FRA", "--building", "T9", "--floor", "1", "--width-m", "200",
                        "--origin-x-m", "1000", "--by", "Anna", dir / "t9.png"});
  ASSERT_EQ(one.exit_code, 0) << one.out;
  EXPECT_NE(one.out.find("plan of T9 floor 1: image/png 1024 x 512, 200 x 100 m from (1000, 0); 0 assets on it"),
            std::string::npos) << one.out;
  EXPECT_NE(Cli({"plan", "list", "--site", "FRA"}).out.find("by Anna"), std::string::npos);
  EXPECT_NE(Cli({"plan", "--help"}).out.find("positions"), std::string::npos);
}

}  // namespace
}  // namespace fieldproof::testing
