// Registry CSV files: header handling, row errors with line numbers, duplicates, writers.
#include "gateway/codec/registry_csv.hpp"

#include <gtest/gtest.h>

#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

namespace fieldproof::codec {
namespace {

constexpr char kHeader[] =
    "asset_id,site,building,floor,location,x_m,y_m,asset_type,tag_uid,interval_days,owner_id,"
    "sensor_equipped\n";

std::string AssetLine(const std::string& id, const std::string& tag,
                      const std::string& site = "FRA") {
  return id + "," + site + ",T1,2,\"Gate B12, east\",1234.5,-87.25,fire_shutter," + tag +
         ",182,FRAPORT,true\n";
}

// Finds the error reported for `line`, or fails.
const CsvError* ErrorAt(const std::vector<CsvError>& errors, std::size_t line) {
  for (const CsvError& e : errors) {
    if (e.line == line) return &e;
  }
  return nullptr;
}

std::string Describe(const std::vector<CsvError>& errors) {
  std::string out;
  for (const CsvError& e : errors) out += std::to_string(e.line) + ": " + e.reason + "\n";
  return out;
}

// ---- Assets: header --------------------------------------------------------------------

TEST(AssetsCsvTest, ParsesAllFields) {
  const auto file = ParseAssetsCsv(std::string(kHeader) + AssetLine("FS-1", "04a1b2c3d4e5f6"));
  ASSERT_TRUE(file.fatal.empty()) << file.fatal;
  ASSERT_TRUE(file.errors.empty()) << Describe(file.errors);
  ASSERT_EQ(file.rows.size(), 1u);
  const core::Asset& a = file.rows[0].record;
  EXPECT_EQ(file.rows[0].line, 2u);
  EXPECT_EQ(a.asset_id, "FS-1");
  EXPECT_EQ(a.site, "FRA");
  EXPECT_EQ(a.building, "T1");
  EXPECT_EQ(a.floor, 2);
  EXPECT_EQ(a.location, "Gate B12, east");
  EXPECT_EQ(a.x_m, 1234.5);
  EXPECT_EQ(a.y_m, -87.25);
  EXPECT_EQ(a.asset_type, "fire_shutter");
  EXPECT_EQ(a.tag_uid, "04A1B2C3D4E5F6");  // Upper-cased.
  EXPECT_EQ(a.interval_days, 182);
  EXPECT_EQ(a.owner_id, "FRAPORT");
  EXPECT_TRUE(a.sensor_equipped);
  EXPECT_TRUE(file.ignored_columns.empty());
}

TEST(AssetsCsvTest, HeaderInAnyOrderAndCase) {
  const std::string text =
      "\xEF\xBB\xBF" "Sensor_Equipped, OWNER_ID ,Interval_Days,TAG_UID,Asset_Type,Y_M,X_M,Location,"
      "Floor,Building,SITE,Asset_ID\r\n"
      "no,OWN,30,04A1B2C3D4E5F6,door,2,1,Hall,-1,B,MUC,D-7\r\n";
  const auto file = ParseAssetsCsv(text);
  ASSERT_TRUE(file.fatal.empty()) << file.fatal;
  ASSERT_TRUE(file.errors.empty()) << Describe(file.errors);
  ASSERT_EQ(file.rows.size(), 1u);
  const core::Asset& a = file.rows[0].record;
  EXPECT_EQ(a.asset_id, "D-7");
  EXPECT_EQ(a.site, "MUC");
  EXPECT_EQ(a.building, "B");
  EXPECT_EQ(a.floor, -1);
  EXPECT_EQ(a.location, "Hall");
  EXPECT_EQ(a.x_m, 1);
  EXPECT_EQ(a.y_m, 2);
  EXPECT_EQ(a.asset_type, "door");
  EXPECT_EQ(a.interval_days, 30);
  EXPECT_EQ(a.owner_id, "OWN");
  EXPECT_FALSE(a.sensor_equipped);
}

TEST(AssetsCsvTest, MissingColumnIsFatal) {
  // Drop one column at a time from the header: each must be named in the fatal message.
  const std::vector<std::string> columns = {"asset_id", "site",       "building",     "floor",
                                            "location", "x_m",        "y_m",          "asset_type",
                                            "tag_uid",  "interval_days", "owner_id", "sensor_equipped"};
  for (const std::string& dropped : columns) {
    std::string header;
    for (const std::string& c : columns) {
      if (c != dropped) header += (header.empty() ? "" : ",") + c;
    }
    const auto file = ParseAssetsCsv(header + "\nx,x,x,x,x,x,x,x,x,x,x\n");
    EXPECT_FALSE(file.fatal.empty()) << dropped;
    EXPECT_NE(file.fatal.find("lacks column(s): " + dropped), std::string::npos) << file.fatal;
    EXPECT_TRUE(file.rows.empty()) << dropped;
  }
}

TEST(AssetsCsvTest, EmptyFileIsFatal) {
  for (const std::string text : {"", "\n\n", "\xEF\xBB\xBF"}) {
    const auto file = ParseAssetsCsv(text);
    EXPECT_NE(file.fatal.find("no header row"), std::string::npos) << file.fatal;
  }
}

TEST(AssetsCsvTest, HeaderOnlyIsEmptyNotFatal) {
  const auto file = ParseAssetsCsv(kHeader);
  EXPECT_TRUE(file.fatal.empty()) << file.fatal;
  EXPECT_TRUE(file.rows.empty());
  EXPECT_TRUE(file.errors.empty());
}

TEST(AssetsCsvTest, ExtraColumnsAreIgnoredAndReported) {
  const std::string text =
      "Manufacturer,asset_id,site,building,floor,location,x_m,y_m,asset_type,tag_uid,"
      "interval_days,owner_id,sensor_equipped,notes\n"
      "Hoermann,FS-1,FRA,T1,0,,0,0,fire_shutter,04A1B2C3D4E5F6,365,O,1,\"free, text\"\n";
  const auto file = ParseAssetsCsv(text);
  ASSERT_TRUE(file.fatal.empty()) << file.fatal;
  ASSERT_TRUE(file.errors.empty()) << Describe(file.errors);
  ASSERT_EQ(file.rows.size(), 1u);
  EXPECT_EQ(file.rows[0].record.asset_id, "FS-1");
  EXPECT_EQ(file.ignored_columns, (std::vector<std::string>{"manufacturer", "notes"}));
}

// ---- Assets: rows ----------------------------------------------------------------------

struct RowErrorCase {
  std::string name;
  std::string line;  // One data row, without the newline.
  std::string reason_contains;
};

void PrintTo(const RowErrorCase& c, std::ostream* os) { *os << c.name << ": " << c.line; }

class AssetRowErrorTest : public ::testing::TestWithParam<RowErrorCase> {};

TEST_P(AssetRowErrorTest, ReportsLineAndReasonAndKeepsGoodRows) {
  const RowErrorCase& c = GetParam();
  // Good row, bad row, good row: the bad one is on line 3.
  const std::string text = std::string(kHeader) + AssetLine("GOOD-1", "04000000000001") + c.line +
                           "\n" + AssetLine("GOOD-2", "04000000000002");
  const auto file = ParseAssetsCsv(text);
  ASSERT_TRUE(file.fatal.empty()) << file.fatal;
  ASSERT_EQ(file.errors.size(), 1u) << Describe(file.errors);
  EXPECT_EQ(file.errors[0].line, 3u);
  EXPECT_NE(file.errors[0].reason.find(c.reason_contains), std::string::npos)
      << file.errors[0].reason;
  ASSERT_EQ(file.rows.size(), 2u);
  EXPECT_EQ(file.rows[0].line, 2u);
  EXPECT_EQ(file.rows[1].line, 4u);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, AssetRowErrorTest,
    ::testing::Values(
        RowErrorCase{"too_few_fields", "FS-9,FRA,T1,2", "has 4 fields; the header has 12"},
        RowErrorCase{"too_many_fields",
                     "FS-9,FRA,T1,2,L,1,1,door,04000000000009,30,O,true,extra",
                     "has 13 fields; the header has 12"},
        RowErrorCase{"floor_fraction", "FS-9,FRA,T1,2.5,L,1,1,door,04000000000009,30,O,true",
                     "floor: '2.5' is not a whole number"},
        RowErrorCase{"floor_empty", "FS-9,FRA,T1,,L,1,1,door,04000000000009,30,O,true",
                     "floor: '' is not a whole number"},
        RowErrorCase{"floor_text", "FS-9,FRA,T1,two,L,1,1,door,04000000000009,30,O,true",
                     "floor: 'two' is not a whole number"},
        RowErrorCase{"floor_huge", "FS-9,FRA,T1,99999999999,L,1,1,door,04000000000009,30,O,true",
                     "floor: out of range"},
        RowErrorCase{"floor_201", "FS-9,FRA,T1,201,L,1,1,door,04000000000009,30,O,true",
                     "floor: must be between -20 and 200"},
        RowErrorCase{"x_text", "FS-9,FRA,T1,2,L,east,1,door,04000000000009,30,O,true",
                     "x_m: 'east' is not a number"},
        RowErrorCase{"y_decimal_comma", "FS-9,FRA,T1,2,L,1,\"1,5\",door,04000000000009,30,O,true",
                     "y_m: '1,5' is not a number"},
        RowErrorCase{"x_over_range", "FS-9,FRA,T1,2,L,100001,1,door,04000000000009,30,O,true",
                     "x_m/y_m"},
        RowErrorCase{"x_nan", "FS-9,FRA,T1,2,L,nan,1,door,04000000000009,30,O,true", "x_m/y_m"},
        RowErrorCase{"interval_text", "FS-9,FRA,T1,2,L,1,1,door,04000000000009,6m,O,true",
                     "interval_days: '6m' is not a whole number"},
        RowErrorCase{"interval_zero", "FS-9,FRA,T1,2,L,1,1,door,04000000000009,0,O,true",
                     "interval_days: must be between 1 and 3660"},
        RowErrorCase{"flag_maybe", "FS-9,FRA,T1,2,L,1,1,door,04000000000009,30,O,maybe",
                     "sensor_equipped: 'maybe' is not true/false/yes/no/1/0"},
        RowErrorCase{"flag_empty", "FS-9,FRA,T1,2,L,1,1,door,04000000000009,30,O,",
                     "sensor_equipped"},
        RowErrorCase{"tag_short", "FS-9,FRA,T1,2,L,1,1,door,0400000000009,30,O,true",
                     "tag_uid: must be 14 hex digits"},
        RowErrorCase{"site_with_dot", "FS-9,FR.A,T1,2,L,1,1,door,04000000000009,30,O,true",
                     "site:"},
        RowErrorCase{"asset_type_upper", "FS-9,FRA,T1,2,L,1,1,Door,04000000000009,30,O,true",
                     "asset_type:"}),
    [](const ::testing::TestParamInfo<RowErrorCase>& info) { return info.param.name; });

TEST(AssetsCsvTest, UnterminatedQuoteSwallowsTheRestButKeepsEarlierRows) {
  // An open quote runs to the end of the file: the rows after it are part of that field.
  const std::string text = std::string(kHeader) + AssetLine("GOOD-1", "04000000000001") +
                           "FS-9,FRA,T1,2,\"open,1,1,door,04000000000009,30,O,true\n" +
                           AssetLine("GOOD-2", "04000000000002");
  const auto file = ParseAssetsCsv(text);
  ASSERT_EQ(file.rows.size(), 1u);
  EXPECT_EQ(file.rows[0].record.asset_id, "GOOD-1");
  ASSERT_EQ(file.errors.size(), 1u);
  EXPECT_EQ(file.errors[0].line, 3u);
}

TEST(AssetsCsvTest, FlagSpellings) {
  struct Case {
    std::string text;
    bool value;
  };
  const std::vector<Case> cases = {{"true", true},  {"TRUE", true},   {"Yes", true},
                                   {"y", true},     {"1", true},      {" true ", true},
                                   {"false", false}, {"False", false}, {"NO", false},
                                   {"n", false},    {"0", false}};
  for (const Case& c : cases) {
    const auto file = ParseAssetsCsv(std::string(kHeader) +
                                     "FS-1,FRA,T1,2,L,1,1,door,04000000000001,30,O," + c.text + "\n");
    ASSERT_EQ(file.rows.size(), 1u) << c.text << "\n" << Describe(file.errors);
    EXPECT_EQ(file.rows[0].record.sensor_equipped, c.value) << c.text;
  }
}

TEST(AssetsCsvTest, FieldsAreTrimmed) {
  const auto file = ParseAssetsCsv(std::string(kHeader) +
                                   " FS-1 , FRA ,\tT1, 2 , Hall ,  1.5 , -2 , door , 04a0000000000f ,"
                                   " 30 , O , yes \n");
  ASSERT_EQ(file.rows.size(), 1u) << Describe(file.errors);
  const core::Asset& a = file.rows[0].record;
  EXPECT_EQ(a.asset_id, "FS-1");
  EXPECT_EQ(a.site, "FRA");
  EXPECT_EQ(a.building, "T1");
  EXPECT_EQ(a.floor, 2);
  EXPECT_EQ(a.location, "Hall");
  EXPECT_EQ(a.x_m, 1.5);
  EXPECT_EQ(a.y_m, -2);
  EXPECT_EQ(a.tag_uid, "04A0000000000F");
  EXPECT_EQ(a.interval_days, 30);
}

TEST(AssetsCsvTest, DuplicateAssetIdInOneFile) {
  const std::string text = std::string(kHeader) + AssetLine("FS-1", "04000000000001") +
                           AssetLine("FS-2", "04000000000002") + AssetLine("FS-1", "04000000000003");
  const auto file = ParseAssetsCsv(text);
  ASSERT_EQ(file.rows.size(), 2u);
  EXPECT_EQ(file.rows[0].record.asset_id, "FS-1");
  EXPECT_EQ(file.rows[0].record.tag_uid, "04000000000001");  // The first one wins.
  ASSERT_EQ(file.errors.size(), 1u) << Describe(file.errors);
  EXPECT_EQ(file.errors[0].line, 4u);
  EXPECT_NE(file.errors[0].reason.find("FS-1"), std::string::npos) << file.errors[0].reason;
  EXPECT_NE(file.errors[0].reason.find("repeats line 2"), std::string::npos)
      << file.errors[0].reason;
}

TEST(AssetsCsvTest, DuplicateTagUidInOneSiteEvenInOtherCase) {
  const std::string text = std::string(kHeader) + AssetLine("FS-1", "04a1b2c3d4e5f6") +
                           AssetLine("FS-2", "04A1B2C3D4E5F6") +
                           AssetLine("FS-3", "04A1B2C3D4E5F6", "MUC");  // Other site: fine.
  const auto file = ParseAssetsCsv(text);
  ASSERT_EQ(file.rows.size(), 2u) << Describe(file.errors);
  EXPECT_EQ(file.rows[0].record.asset_id, "FS-1");
  EXPECT_EQ(file.rows[1].record.asset_id, "FS-3");
  ASSERT_EQ(file.errors.size(), 1u) << Describe(file.errors);
  EXPECT_EQ(file.errors[0].line, 3u);
  EXPECT_NE(file.errors[0].reason.find("tag_uid"), std::string::npos) << file.errors[0].reason;
  EXPECT_NE(file.errors[0].reason.find("repeats line 2"), std::string::npos)
      << file.errors[0].reason;
}

TEST(AssetsCsvTest, SameAssetIdOnTwoSitesIsNotADuplicate) {
  const auto file = ParseAssetsCsv(std::string(kHeader) + AssetLine("FS-1", "04000000000001") +
                                   AssetLine("FS-1", "04000000000001", "MUC"));
  EXPECT_EQ(file.rows.size(), 2u);
  EXPECT_TRUE(file.errors.empty()) << Describe(file.errors);
}

TEST(AssetsCsvTest, ErrorsAreSortedByLineAndLinesCountMultilineRecords) {
  const std::string text = std::string(kHeader) +                                  // line 1
                           "FS-1,FRA,T1,2,\"two\nlines\",1,1,door,04000000000001,30,O,1\n"  // 2-3
                           "FS-2,FRA,T1,x,L,1,1,door,04000000000002,30,O,1\n"      // 4
                           "\"bad\"quote,FRA\n"                                     // 5
                           "FS-3,FRA,T1,2,L,1,1,door,04000000000003,0,O,1\n"       // 6
                           "FS-4,FRA,T1,2,L,1,1,door,04000000000004,30,O,1\n";     // 7
  const auto file = ParseAssetsCsv(text);
  ASSERT_EQ(file.rows.size(), 1u);
  EXPECT_EQ(file.rows[0].line, 7u);
  EXPECT_EQ(file.rows[0].record.asset_id, "FS-4");
  ASSERT_EQ(file.errors.size(), 4u) << Describe(file.errors);
  EXPECT_EQ(file.errors[0].line, 2u);
  EXPECT_EQ(file.errors[1].line, 4u);
  EXPECT_EQ(file.errors[2].line, 5u);
  EXPECT_EQ(file.errors[3].line, 6u);
  ASSERT_NE(ErrorAt(file.errors, 2), nullptr);
  EXPECT_EQ(ErrorAt(file.errors, 2)->reason,
            "location: has a control character (U+000A) at character 4");
  ASSERT_NE(ErrorAt(file.errors, 5), nullptr);
  EXPECT_NE(ErrorAt(file.errors, 5)->reason.find("closing quote"), std::string::npos);
}

// Found by tests/fuzz/registry_csv_fuzz: a Latin-1 file was imported as is, and the API's
// asset list (JSON) then failed for the whole site.
TEST(AssetsCsvTest, TextThatIsNotUtf8IsARowError) {
  const std::string text = std::string(kHeader) +
                           "FS-1,FRA,T1,2,Gep\xE4" "ck,1,1,door,04000000000001,30,O,1\n"      // 2
                           "FS-2,FRA,T1,2,Gep\xC3\xA4" "ck,1,1,door,04000000000002,30,O,1\n"  // 3
                           "FS-3,FRA,T1,2,\xED\xA0\x80,1,1,door,04000000000003,30,O,1\n"  // 4
                           "FS-4,FRA,T1,2,\xC0\xAF,1,1,door,04000000000004,30,O,1\n";     // 5
  const auto file = ParseAssetsCsv(text);
  ASSERT_EQ(file.rows.size(), 1u) << Describe(file.errors);
  EXPECT_EQ(file.rows[0].record.location, "Gep\xC3\xA4" "ck");
  ASSERT_EQ(file.errors.size(), 3u) << Describe(file.errors);
  for (std::size_t line : {2u, 4u, 5u}) {
    ASSERT_NE(ErrorAt(file.errors, line), nullptr) << line;
    EXPECT_EQ(ErrorAt(file.errors, line)->reason,
              "location: not valid UTF-8 (save the file as UTF-8)");
  }
  const auto technicians = ParseTechniciansCsv(
      "technician_id,name,company,qualifications,sites\nT-1,M\xFCller,ACME,door,FRA\n");
  ASSERT_EQ(technicians.errors.size(), 1u);
  EXPECT_EQ(technicians.errors[0].reason, "name: not valid UTF-8 (save the file as UTF-8)");
}

// Security review (issue 17): registry text reaches e-invoices (XML 1.0 forbids most control
// characters), spreadsheets and the operator's terminal (ESC sequences). A cell holding a
// control character, line breaks and tabs inside it included, or a noncharacter is refused
// with the column and the line; the cell itself is not echoed.
TEST(AssetsCsvTest, ControlCharactersAndNoncharactersAreRowErrors) {
  using namespace std::string_literals;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Gate\x1B[2J", "location: has a control character (U+001B) at character 5"},
      {"A\0B"s, "location: has a control character (U+0000) at character 2"},
      {"\"two\nlines\"", "location: has a control character (U+000A) at character 4"},
      {"\"cr\rinside\"", "location: has a control character (U+000D) at character 3"},
      {"tab\tinside", "location: has a control character (U+0009) at character 4"},
      {"del\x7F", "location: has a control character (U+007F) at character 4"},
      {"csi\xC2\x9B" "2J", "location: has a control character (U+009B) at character 4"},
      {"x\xEF\xBF\xBE", "location: has a noncharacter (U+FFFE) at character 2"},
      {"x\xEF\xBF\xBF", "location: has a noncharacter (U+FFFF) at character 2"},
  };
  for (const auto& [location, reason] : cases) {
    const auto file = ParseAssetsCsv(std::string(kHeader) + "FS-1,FRA,T1,2," + location +
                                     ",1,1,door,04000000000001,30,O,1\n");
    EXPECT_TRUE(file.rows.empty()) << reason;
    ASSERT_EQ(file.errors.size(), 1u) << reason << "\n" << Describe(file.errors);
    EXPECT_EQ(file.errors[0].line, 2u);
    EXPECT_EQ(file.errors[0].reason, reason);
  }
  // Every text column is checked, not only the location.
  const auto building = ParseAssetsCsv(std::string(kHeader) +
                                       "FS-1,FRA,T\x1B" "1,2,L,1,1,door,04000000000001,30,O,1\n");
  ASSERT_EQ(building.errors.size(), 1u);
  EXPECT_EQ(building.errors[0].reason, "building: has a control character (U+001B) at character 2");
}

TEST(RegistryCsvTest, ControlCharactersInTechniciansAndDevices) {
  const auto technicians = ParseTechniciansCsv(
      "technician_id,name,company,qualifications,sites\n"
      "T-1,Anna\x1B]0;owned\x07,ACME,door,FRA\n"
      "T-2,Ben,AC\xEF\xBF\xBF" "ME,door,FRA\n"
      "T-3,Cem,ACME,door;\x1B,FRA\n"
      "T-4,M\xC3\xBCller,ACME,door,FRA\n");
  ASSERT_EQ(technicians.rows.size(), 1u) << Describe(technicians.errors);
  EXPECT_EQ(technicians.rows[0].record.name, "M\xC3\xBCller");
  ASSERT_EQ(technicians.errors.size(), 3u) << Describe(technicians.errors);
  EXPECT_EQ(technicians.errors[0].reason, "name: has a control character (U+001B) at character 5");
  EXPECT_EQ(technicians.errors[1].reason, "company: has a noncharacter (U+FFFF) at character 3");
  EXPECT_EQ(technicians.errors[2].reason,
            "qualifications: has a control character (U+001B) at character 6");
  const auto devices =
      ParseDevicesCsv("device_id,site,company\nHH-1,FRA,\"AC\r\nME\"\nHH-2,FRA,ACME\n");
  ASSERT_EQ(devices.rows.size(), 1u) << Describe(devices.errors);
  ASSERT_EQ(devices.errors.size(), 1u);
  EXPECT_EQ(devices.errors[0].line, 2u);
  EXPECT_EQ(devices.errors[0].reason, "company: has a control character (U+000D) at character 3");
}

// Security review (issue 17): with a column named twice, which value counts was an accident
// of the reader (the first one).
TEST(RegistryCsvTest, ColumnNamedTwiceIsFatal) {
  const auto assets = ParseAssetsCsv(
      "asset_id,site,building,floor,location,x_m,y_m,asset_type,tag_uid,interval_days,owner_id,"
      "sensor_equipped, Floor \n"
      "FS-1,FRA,T1,2,L,1,1,door,04000000000001,30,O,1,7\n");
  EXPECT_EQ(assets.fatal, "header names column 'floor' twice (columns 4 and 13)");
  EXPECT_TRUE(assets.rows.empty());
  const auto extra = ParseDevicesCsv("device_id,site,company,notes,NOTES\nHH-1,FRA,ACME,a,b\n");
  EXPECT_EQ(extra.fatal, "header names column 'notes' twice (columns 4 and 5)");
  const auto technicians = ParseTechniciansCsv(
      "technician_id,name,company,qualifications,sites,name\nT-1,A,ACME,door,FRA,B\n");
  EXPECT_EQ(technicians.fatal, "header names column 'name' twice (columns 2 and 6)");
  // Blank header cells (trailing commas of some exports) name nothing and may repeat.
  const auto blank = ParseDevicesCsv("device_id,site,company,,\nHH-1,FRA,ACME,,\n");
  EXPECT_TRUE(blank.fatal.empty()) << blank.fatal;
  EXPECT_EQ(blank.rows.size(), 1u) << Describe(blank.errors);
}

// ---- Technicians ---------------------------------------------------------------------

TEST(TechniciansCsvTest, ListsSplitOnSemicolonAndTrimmed) {
  const std::string text =
      "technician_id,name,company,qualifications,sites\n"
      "T-1,Jana Nov\xC3\xA1kov\xC3\xA1,ACME, fire_shutter ; smoke_damper ,FRA; MUC ;HAM\n"
      "T-2,\"Doe, John\",ACME,,FRA\n"
      "T-3,Solo,ACME,door,FRA\n";
  const auto file = ParseTechniciansCsv(text);
  ASSERT_TRUE(file.fatal.empty()) << file.fatal;
  ASSERT_TRUE(file.errors.empty()) << Describe(file.errors);
  ASSERT_EQ(file.rows.size(), 3u);
  EXPECT_EQ(file.rows[0].record.name, "Jana Nov\xC3\xA1kov\xC3\xA1");
  EXPECT_EQ(file.rows[0].record.qualifications,
            (std::vector<std::string>{"fire_shutter", "smoke_damper"}));
  EXPECT_EQ(file.rows[0].record.sites, (std::vector<std::string>{"FRA", "MUC", "HAM"}));
  EXPECT_EQ(file.rows[1].record.name, "Doe, John");
  EXPECT_TRUE(file.rows[1].record.qualifications.empty());
  EXPECT_EQ(file.rows[1].record.sites, (std::vector<std::string>{"FRA"}));
  EXPECT_EQ(file.rows[2].record.qualifications, (std::vector<std::string>{"door"}));
}

TEST(TechniciansCsvTest, RowErrors) {
  const std::string text =
      "TECHNICIAN_ID,Name,Company,Qualifications,Sites\n"  // 1
      "T-1,A,ACME,door,\n"                                  // 2: no sites
      "T-2,B,ACME,door;door,FRA\n"                          // 3: duplicate qualification
      "T-3,C,ACME,door,FRA;FRA\n"                           // 4: duplicate site
      "T-4,D,ACME,door;;fire_shutter,FRA\n"                 // 5: empty list item
      "T-5,,ACME,door,FRA\n"                                // 6: empty name
      "T-6,F,ACME,Door,FRA\n"                               // 7: upper-case qualification
      "T-7,G,ACME,door\n"                                   // 8: 4 fields
      "T-8,H,ACME,door,FRA\n"                               // 9: fine
      "T-8,H2,ACME,door,MUC\n";                             // 10: duplicate technician
  const auto file = ParseTechniciansCsv(text);
  ASSERT_TRUE(file.fatal.empty()) << file.fatal;
  ASSERT_EQ(file.rows.size(), 1u) << Describe(file.errors);
  EXPECT_EQ(file.rows[0].record.technician_id, "T-8");
  EXPECT_EQ(file.rows[0].line, 9u);
  const std::vector<std::pair<std::size_t, std::string>> expected = {
      {2, "sites"},          {3, "qualifications"}, {4, "sites"},
      {5, "qualifications"}, {6, "name"},           {7, "qualifications"},
      {8, "has 4 fields"},   {10, "repeats line 9"}};
  ASSERT_EQ(file.errors.size(), expected.size()) << Describe(file.errors);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(file.errors[i].line, expected[i].first) << Describe(file.errors);
    EXPECT_NE(file.errors[i].reason.find(expected[i].second), std::string::npos)
        << file.errors[i].line << ": " << file.errors[i].reason;
  }
}

TEST(TechniciansCsvTest, MissingColumnIsFatal) {
  const auto file = ParseTechniciansCsv("technician_id,name,company,sites\nT-1,A,ACME,FRA\n");
  EXPECT_NE(file.fatal.find("qualifications"), std::string::npos) << file.fatal;
  EXPECT_TRUE(file.rows.empty());
}

// ---- Writers ---------------------------------------------------------------------------

core::Asset SampleAsset(const std::string& id, const std::string& tag) {
  core::Asset a;
  a.asset_id = id;
  a.site = "FRA";
  a.building = "T1";
  a.floor = -3;
  a.location = "Gate \"B12\", east wall; next to lift";
  a.x_m = 1234.5;
  a.y_m = -0.125;
  a.asset_type = "fire_shutter";
  a.tag_uid = tag;
  a.interval_days = 182;
  a.owner_id = "FRAPORT";
  a.sensor_equipped = true;
  return a;
}

void ExpectSameAsset(const core::Asset& a, const core::Asset& b) {
  EXPECT_EQ(a.asset_id, b.asset_id);
  EXPECT_EQ(a.site, b.site);
  EXPECT_EQ(a.building, b.building);
  EXPECT_EQ(a.floor, b.floor);
  EXPECT_EQ(a.location, b.location);
  EXPECT_EQ(a.x_m, b.x_m) << a.asset_id;
  EXPECT_EQ(a.y_m, b.y_m) << a.asset_id;
  EXPECT_EQ(a.asset_type, b.asset_type);
  EXPECT_EQ(a.tag_uid, b.tag_uid);
  EXPECT_EQ(a.interval_days, b.interval_days);
  EXPECT_EQ(a.owner_id, b.owner_id);
  EXPECT_EQ(a.sensor_equipped, b.sensor_equipped);
}

TEST(RegistryCsvWriterTest, HeadersMatchTheColumnLists) {
  EXPECT_EQ(AssetsCsvHeader(), std::string(kAssetColumns) + "\n");
  EXPECT_EQ(TechniciansCsvHeader(), std::string(kTechnicianColumns) + "\n");
}

TEST(RegistryCsvWriterTest, AssetsReparseIdentically) {
  std::vector<core::Asset> assets = {SampleAsset("FS-1", "04000000000001"),
                                     SampleAsset("FS-2", "04000000000002"),
                                     SampleAsset("FS-3", "04000000000003")};
  assets[1].location = "";
  assets[1].sensor_equipped = false;
  assets[1].x_m = -100000;
  assets[1].y_m = 100000;
  assets[2].location = "plain";
  assets[2].x_m = 0.5;
  assets[2].y_m = 99999.75;
  std::string text = AssetsCsvHeader();
  for (const auto& a : assets) text += AssetCsvRow(a);

  const auto file = ParseAssetsCsv(text);
  ASSERT_TRUE(file.fatal.empty()) << file.fatal;
  ASSERT_TRUE(file.errors.empty()) << Describe(file.errors) << text;
  ASSERT_EQ(file.rows.size(), assets.size());
  for (std::size_t i = 0; i < assets.size(); ++i) ExpectSameAsset(file.rows[i].record, assets[i]);
  EXPECT_EQ(file.rows[1].line, 3u);

  // Writing what was read gives the same bytes.
  std::string again = AssetsCsvHeader();
  for (const auto& row : file.rows) again += AssetCsvRow(row.record);
  EXPECT_EQ(again, text);
}

// Coordinates come from CAFM systems as full doubles (e.g. 0.1 + 0.2 or survey values
// with micrometre digits). An export followed by an import must not change them, or the
// re-import reports every such asset as "updated".
TEST(RegistryCsvWriterTest, AssetCoordinatesKeepFullPrecision) {
  core::Asset a = SampleAsset("FS-1", "04000000000001");
  a.location = "Hall";
  for (const double value : {12345.678901, 0.1 + 0.2, -98765.4321012345, 1.0 / 3.0}) {
    a.x_m = value;
    a.y_m = -value;
    const auto file = ParseAssetsCsv(AssetsCsvHeader() + AssetCsvRow(a));
    ASSERT_EQ(file.rows.size(), 1u) << Describe(file.errors);
    std::ostringstream wanted;
    wanted << std::setprecision(17) << value << " was written as: " << AssetCsvRow(a);
    EXPECT_EQ(file.rows[0].record.x_m, value) << wanted.str();
    EXPECT_EQ(file.rows[0].record.y_m, -value) << wanted.str();
  }
}

TEST(RegistryCsvWriterTest, TechniciansReparseIdentically) {
  const std::vector<core::Technician> technicians = {
      {"T-1", "Doe, \"JD\" John", "ACME", {"fire_shutter", "smoke_damper"}, {"FRA", "MUC"}},
      {"T-2", "Jana Nov\xC3\xA1kov\xC3\xA1", "ACME-2", {}, {"HAM"}},
      {"T-3", "Anne-Marie O'Neil", "ACME", {"door"}, {"FRA", "MUC", "HAM"}},
  };
  std::string text = TechniciansCsvHeader();
  for (const auto& t : technicians) text += TechnicianCsvRow(t);
  const auto file = ParseTechniciansCsv(text);
  ASSERT_TRUE(file.fatal.empty()) << file.fatal;
  ASSERT_TRUE(file.errors.empty()) << Describe(file.errors) << text;
  ASSERT_EQ(file.rows.size(), technicians.size());
  for (std::size_t i = 0; i < technicians.size(); ++i) {
    const core::Technician& t = file.rows[i].record;
    EXPECT_EQ(t.technician_id, technicians[i].technician_id);
    EXPECT_EQ(t.name, technicians[i].name);
    EXPECT_EQ(t.company, technicians[i].company);
    EXPECT_EQ(t.qualifications, technicians[i].qualifications);
    EXPECT_EQ(t.sites, technicians[i].sites);
  }
  std::string again = TechniciansCsvHeader();
  for (const auto& row : file.rows) again += TechnicianCsvRow(row.record);
  EXPECT_EQ(again, text);
}

}  // namespace
}  // namespace fieldproof::codec
