// Integrity checks on real files: sound, damaged in a page, truncated, not a database.
#include "gateway/store/integrity.hpp"

#include <sqlite3.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "data_safety_test_util.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

using testing::DamagePage;
using testing::MakeDatabase;
using testing::TempDir;
using testing::WriteText;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(IntegrityTest, MissingAndEmptyFilesAreSoundBecauseTheGatewayCreatesThem) {
  TempDir dir;
  EXPECT_TRUE(CheckIntegrity(dir.File("missing.db"), IntegrityCheckMode::kFull).ok);
  EXPECT_FALSE(std::filesystem::exists(dir.File("missing.db")));  // Not created by looking.
  WriteText(dir.File("empty.db"), "");
  EXPECT_TRUE(CheckIntegrity(dir.File("empty.db"), IntegrityCheckMode::kFull).ok);
}

TEST(IntegrityTest, SoundDatabasePassesBothChecks) {
  TempDir dir;
  MakeDatabase(dir.File("ok.db"), 100, 400);
  for (auto mode : {IntegrityCheckMode::kQuick, IntegrityCheckMode::kFull}) {
    const IntegrityReport report = CheckIntegrity(dir.File("ok.db"), mode);
    EXPECT_TRUE(report.ok);
    EXPECT_TRUE(report.findings.empty());
    EXPECT_EQ(report.check, mode == IntegrityCheckMode::kFull ? "integrity_check" : "quick_check");
  }
  EXPECT_EQ(FindDamage(dir.File("ok.db"), IntegrityCheckMode::kQuick), std::nullopt);
}

TEST(IntegrityTest, DamagedPageIsFoundAndTheAdviceNamesFileFindingsAndRestore) {
  TempDir dir;
  const std::string path = dir.File("damaged.db");
  MakeDatabase(path, 0, 2000);  // About 500 pages.
  DamagePage(path, 300);
  for (auto mode : {IntegrityCheckMode::kQuick, IntegrityCheckMode::kFull}) {
    const IntegrityReport report = CheckIntegrity(path, mode, 3);
    EXPECT_FALSE(report.ok);
    ASSERT_FALSE(report.findings.empty());
    EXPECT_LE(report.findings.size(), 3u);
  }
  const auto advice = FindDamage(path, IntegrityCheckMode::kQuick);
  ASSERT_TRUE(advice.has_value());
  EXPECT_TRUE(Contains(*advice, "database " + path + " is damaged; SQLite's quick_check reported:"))
      << *advice;
  EXPECT_TRUE(Contains(*advice, "fieldproof restore --from BACKUP.db --db " + path + " --force"))
      << *advice;
  EXPECT_TRUE(Contains(*advice, "fieldproof backup")) << *advice;
  // Off means off: the gateway starts on it (and SQLite reports the damage when it meets it).
  EXPECT_TRUE(CheckIntegrity(path, IntegrityCheckMode::kOff).ok);
}

TEST(IntegrityTest, TruncatedFileIsDamaged) {
  TempDir dir;
  const std::string path = dir.File("truncated.db");
  MakeDatabase(path, 0, 2000);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  const IntegrityReport report = CheckIntegrity(path, IntegrityCheckMode::kQuick);
  EXPECT_FALSE(report.ok);
  EXPECT_FALSE(report.findings.empty());
}

TEST(IntegrityTest, FileThatIsNotADatabaseGetsTheSameClearTreatment) {
  TempDir dir;
  const std::string path = dir.File("notes.db");
  WriteText(path, std::string(8192, 'x'));
  const IntegrityReport report = CheckIntegrity(path, IntegrityCheckMode::kQuick);
  EXPECT_FALSE(report.ok);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0], "file is not a database");
  const std::string advice = DamageAdvice(path, report);
  EXPECT_TRUE(Contains(advice, "database " + path +
                                   " is not a SQLite database (SQLite: file is not a database)"))
      << advice;
  EXPECT_TRUE(Contains(advice, "fieldproof restore --from BACKUP.db --db " + path)) << advice;
}

TEST(IntegrityTest, ManyFindingsAreCutShortAndCounted) {
  TempDir dir;
  const std::string path = dir.File("very-damaged.db");
  MakeDatabase(path, 0, 4000);
  for (int page = 100; page < 900; page += 20) DamagePage(path, page);
  const IntegrityReport report = CheckIntegrity(path, IntegrityCheckMode::kFull, 2);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.findings.size(), 2u);
  EXPECT_GT(report.more_findings, 30);
  EXPECT_TRUE(Contains(DamageAdvice(path, report), "more)"));
}

TEST(IntegrityTest, DamageCodesAreTellingApartFromBusyAndFull) {
  EXPECT_TRUE(IsDamage(SQLITE_CORRUPT));
  EXPECT_TRUE(IsDamage(SQLITE_NOTADB));
  EXPECT_TRUE(IsDamage(SQLITE_CORRUPT_INDEX));
  EXPECT_FALSE(IsDamage(SQLITE_BUSY));
  EXPECT_FALSE(IsDamage(SQLITE_FULL));
  EXPECT_FALSE(IsDamage(SQLITE_IOERR));
}

TEST(IntegrityTest, ModesParseFromTheirOptionNames) {
  EXPECT_EQ(kIntegrityCheckModes.at("off"), IntegrityCheckMode::kOff);
  EXPECT_EQ(kIntegrityCheckModes.at("quick"), IntegrityCheckMode::kQuick);
  EXPECT_EQ(kIntegrityCheckModes.at("full"), IntegrityCheckMode::kFull);
}

}  // namespace
}  // namespace fieldproof::store
