// IntakeJournal: what is appended survives reopening; what the store committed is not
// replayed; a torn last record is cut; old files go once committed.
#include "gateway/ingest/intake_journal.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/unit/store/store_test_util.hpp"

namespace fieldproof::ingest {
namespace {

using store::testing::TempDir;

std::size_t FileCount(const std::filesystem::path& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

TEST(IntakeJournalTest, ReopenedJournalHandsBackWhatIsNotCommittedInOrder) {
  TempDir dir;
  {
    IntakeJournal journal(dir.path() / "j", 0);
    EXPECT_EQ(journal.Append("fieldproof/v1/FRA/tap/H1", "{\"a\":1}", 1000), 1u);
    EXPECT_EQ(journal.Append("fieldproof/v1/FRA/tap/H1", std::string("b\0c", 3), 1001), 2u);
    EXPECT_EQ(journal.Append("t", "", 1002), 3u);
  }
  IntakeJournal journal(dir.path() / "j", 1);  // The store has seq 1.
  const auto records = journal.TakeUncommitted();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].seq, 2u);
  EXPECT_EQ(records[0].topic, "fieldproof/v1/FRA/tap/H1");
  EXPECT_EQ(records[0].payload, std::string("b\0c", 3));
  EXPECT_EQ(records[0].received_at, 1001);
  EXPECT_EQ(records[1].seq, 3u);
  EXPECT_EQ(records[1].payload, "");
  EXPECT_EQ(journal.Append("t", "next", 1003), 4u);  // Numbering goes on.
}

TEST(IntakeJournalTest, SequenceContinuesAfterTheStoreWhenTheJournalIsGone) {
  TempDir dir;
  IntakeJournal journal(dir.path() / "j", 41);
  EXPECT_TRUE(journal.TakeUncommitted().empty());
  EXPECT_EQ(journal.Append("t", "p", 1), 42u);
}

TEST(IntakeJournalTest, TornLastRecordIsCutAndAppendsFollowTheWholeOnes) {
  TempDir dir;
  std::filesystem::path file;
  {
    IntakeJournal journal(dir.path() / "j", 0);
    journal.Append("t", "one", 1);
    journal.Append("t", "two", 2);
    file = std::filesystem::directory_iterator(dir.path() / "j")->path();
  }
  // The process died inside the third write.
  const auto whole = std::filesystem::file_size(file);
  { std::ofstream(file, std::ios::app | std::ios::binary) << std::string("\x30\x00\x00\x00\x01", 5); }
  {
    IntakeJournal journal(dir.path() / "j", 0);
    EXPECT_EQ(std::filesystem::file_size(file), whole);
    EXPECT_EQ(journal.TakeUncommitted().size(), 2u);
    EXPECT_EQ(journal.Append("t", "three", 3), 3u);
  }
  IntakeJournal journal(dir.path() / "j", 0);
  const auto records = journal.TakeUncommitted();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].payload, "three");
}

TEST(IntakeJournalTest, ACorruptedRecordIsNotHandedOn) {
  TempDir dir;
  std::filesystem::path file;
  {
    IntakeJournal journal(dir.path() / "j", 0);
    journal.Append("t", "good", 1);
    journal.Append("t", "flipped", 2);
    file = std::filesystem::directory_iterator(dir.path() / "j")->path();
  }
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(-2, std::ios::end);
    f.put('X');  // Inside the second record's payload: its CRC no longer matches.
  }
  IntakeJournal journal(dir.path() / "j", 0);
  const auto records = journal.TakeUncommitted();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].payload, "good");
}

TEST(IntakeJournalTest, TrimRemovesOnlyFilesWhollyCommitted) {
  TempDir dir;
  IntakeJournal journal(dir.path() / "j", 0, {.segment_bytes = 50});
  for (int i = 0; i < 10; ++i) journal.Append("topic", std::string(60, 'x'), i);  // A file each.
  EXPECT_EQ(journal.segment_count(), 10u);
  journal.Trim(4);  // Files of seq 1..4 go; 5 is not committed.
  EXPECT_EQ(journal.segment_count(), 6u);
  EXPECT_EQ(FileCount(dir.path() / "j"), 6u);
  journal.Trim(10);  // Everything committed: the file being written stays.
  EXPECT_EQ(journal.segment_count(), 1u);
  IntakeJournal reopened(dir.path() / "j", 10);
  EXPECT_TRUE(reopened.TakeUncommitted().empty());
}

TEST(IntakeJournalTest, UnwritableDirectoryIsAClearError) {
  TempDir dir;
  std::ofstream(dir.File("not-a-dir")) << "x";
  EXPECT_THROW(IntakeJournal(dir.path() / "not-a-dir", 0), std::exception);
}

}  // namespace
}  // namespace fieldproof::ingest
