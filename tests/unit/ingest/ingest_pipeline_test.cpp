// IngestPipeline under a store that fails like a full disk and then recovers: intake
// pauses (Deliver blocks once max_in_flight wait), says why, and resumes; every message
// is stored once, none acknowledged-and-dropped. And the journal's records that a crash
// left unstored are stored at the next start.
#include "gateway/ingest/ingest_pipeline.hpp"

#include <sqlite3.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <thread>

#include "gateway/store/migrations.hpp"
#include "tests/unit/store/store_test_util.hpp"

namespace fieldproof::ingest {
namespace {

using store::testing::MakeTap;
using store::testing::TempDir;

// A real SQLite store that fails every transaction while `full` is set.
class DiskFullStore : public store::EventStore {
 public:
  using EventStore::EventStore;
  std::atomic<bool> full{false};
  std::atomic<int> failed{0};
  std::vector<store::EventResult> WriteBatch(std::span<const store::PendingEvent> events) override {
    if (full) {
      ++failed;
      throw store::StoreError(SQLITE_FULL, "database or disk is full");
    }
    return EventStore::WriteBatch(events);
  }
};

class IngestPipelineTest : public ::testing::Test {
 protected:
  TempDir dir;
  store::Database db{dir.File("fieldproof.db")};
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{
      boost::asio::make_work_guard(io)};
  std::thread io_thread;

  void SetUp() override {
    store::Migrate(db);
    io_thread = std::thread([this] { io.run(); });
  }
  void TearDown() override {
    work.reset();
    io_thread.join();
  }
  std::int64_t StoredTaps() { return db.QueryInt("SELECT count(*) FROM taps"); }
  static std::string TapPayload(int i) { return codec::EncodeTap(MakeTap("m-" + std::to_string(i))); }
  static std::string TapTopic() { return core::TapTopic("FRA", "HH-0042"); }
};

TEST_F(IngestPipelineTest, FullDiskPausesIntakeAndNothingIsLostWhenItClears) {
  DiskFullStore store(db);
  store.full = true;
  IntakeJournal journal(dir.path() / "journal", 0);
  IngestPipeline pipeline(io, store, {.max_in_flight = 50, .max_batch = 10}, [](auto, auto) {},
                          [] { return store::testing::kNow; }, &journal);
  std::atomic<int> delivered{0};
  std::thread source([&] {
    for (int i = 0; i < 300; ++i) {
      pipeline.Deliver(TapTopic(), TapPayload(i));
      ++delivered;
    }
  });
  // The source stops at the in-flight limit: the broker keeps the rest.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((delivered < 50 || store.failed < 2) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Time for a wrong source to go past the limit; a right one stays at 50 however long
  // it waits, so a busy machine cannot make this fail.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(delivered, 50);
  EXPECT_EQ(StoredTaps(), 0);
  EXPECT_EQ(pipeline.metrics().in_flight, 50);
  EXPECT_NE(pipeline.IntakeProblem().find("database or disk is full"), std::string::npos)
      << pipeline.IntakeProblem();
  EXPECT_GE(pipeline.metrics().store_errors, 2u);

  store.full = false;  // Space again.
  source.join();
  pipeline.Close();
  EXPECT_EQ(StoredTaps(), 300);
  EXPECT_EQ(pipeline.metrics().stored_taps, 300u);
  EXPECT_EQ(pipeline.IntakeProblem(), "");
  EXPECT_EQ(pipeline.metrics().in_flight, 0);
  EXPECT_EQ(store.CommittedJournalSeq(), 300u);
}

TEST_F(IngestPipelineTest, JournalRecordsACrashLeftUnstoredAreStoredOnceAtStart) {
  {
    // The last run journaled five messages and died before committing the last three.
    IntakeJournal journal(dir.path() / "journal", 0);
    for (int i = 0; i < 5; ++i) journal.Append(TapTopic(), TapPayload(i), store::testing::kNow + i);
    store::EventStore store(db);
    IngestPipeline pipeline(io, store, {}, [](auto, auto) {}, [] { return store::testing::kNow; });
    pipeline.Deliver(TapTopic(), TapPayload(0));
    pipeline.Deliver(TapTopic(), TapPayload(1));
    pipeline.Close();
    db.Exec("UPDATE intake_cursor SET journal_seq = 2");
  }
  store::EventStore store(db);
  IntakeJournal journal(dir.path() / "journal", store.CommittedJournalSeq());
  IngestPipeline pipeline(io, store, {}, [](auto, auto) {}, [] { return store::testing::kNow; }, &journal);
  EXPECT_EQ(pipeline.ReplayJournal(), 3u);
  pipeline.Close();
  EXPECT_EQ(StoredTaps(), 5);
  EXPECT_EQ(pipeline.metrics().duplicates, 0u);
  EXPECT_EQ(store.CommittedJournalSeq(), 5u);
  // The replayed ones keep the time they were first received.
  EXPECT_EQ(db.QueryInt("SELECT received_at FROM taps WHERE msg_id = 'm-4'"), store::testing::kNow + 4);
}

}  // namespace
}  // namespace fieldproof::ingest
