// BatchWriter: group commit on its own thread, retry while the database is locked.
#include "gateway/store/batch_writer.hpp"

#include <sqlite3.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gateway/store/migrations.hpp"
#include "store_test_util.hpp"

namespace fieldproof::store {
namespace {

using testing::MakeTap;
using testing::TapEvent;

// What the writer reported, collected across its callbacks.
struct Recorder {
  std::mutex mutex;
  std::vector<PendingEvent> events;
  std::vector<EventResult> results;
  std::vector<std::size_t> batch_sizes;
  bool sizes_consistent = true;
  std::atomic<int> errors{0};
  std::atomic<int> max_attempt{0};
  std::vector<bool> transient;

  BatchWriter::OnCommitted Committed() {
    return [this](std::vector<PendingEvent> batch, std::vector<EventResult> res, BatchStats stats) {
      std::lock_guard lock(mutex);
      if (batch.size() != res.size() || stats.events != batch.size()) sizes_consistent = false;
      batch_sizes.push_back(batch.size());
      for (auto& e : batch) events.push_back(std::move(e));
      for (auto& r : res) results.push_back(std::move(r));
    };
  }

  BatchWriter::OnError Error() {
    return [this](const StoreError& error, int attempt) {
      ++errors;
      int seen = max_attempt.load();
      while (attempt > seen && !max_attempt.compare_exchange_weak(seen, attempt)) {
      }
      std::lock_guard lock(mutex);
      transient.push_back(error.transient());
    };
  }
};

class BatchWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<Database>(dir_.File("writer.db"));
    Migrate(*db_);
    store_ = std::make_unique<EventStore>(*db_);
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<EventStore> store_;
};

// Device "HH-<thread>", msg ids "<thread>:<n>".
PendingEvent Event(int thread, int n) {
  return TapEvent(MakeTap(std::to_string(thread) + ":" + std::to_string(n),
                          "HH-" + std::to_string(thread)));
}

TEST_F(BatchWriterTest, TwoProducersEverythingCommittedExactlyOnce) {
  constexpr int kPerThread = 600;
  constexpr std::size_t kMaxBatch = 64;
  Recorder recorder;
  {
    BatchWriter writer(*store_, kMaxBatch, recorder.Committed(), recorder.Error());
    std::vector<std::thread> producers;
    for (int t = 0; t < 2; ++t) {
      producers.emplace_back([&writer, t] {
        for (int n = 0; n < kPerThread; ++n) writer.Submit(Event(t, n));
      });
    }
    for (auto& p : producers) p.join();
    writer.Close();
    EXPECT_EQ(writer.Depth(), 0u);
    writer.Close();  // Idempotent.
  }

  EXPECT_EQ(recorder.errors.load(), 0);
  EXPECT_TRUE(recorder.sizes_consistent);
  ASSERT_EQ(recorder.events.size(), 2u * kPerThread);
  ASSERT_EQ(recorder.results.size(), recorder.events.size());
  for (std::size_t size : recorder.batch_sizes) {
    EXPECT_GE(size, 1u);
    EXPECT_LE(size, kMaxBatch);
  }

  // Every event reported once, stored, and each producer's events in submission order.
  std::set<std::string> seen;
  std::map<std::string, int> next_of_device;
  for (std::size_t i = 0; i < recorder.events.size(); ++i) {
    const auto& tap = std::get<core::Tap>(recorder.events[i].decoded);
    EXPECT_TRUE(seen.insert(tap.msg_id).second) << "reported twice: " << tap.msg_id;
    EXPECT_EQ(recorder.results[i].outcome, EventOutcome::kStored) << tap.msg_id;
    const int n = std::stoi(tap.msg_id.substr(tap.msg_id.find(':') + 1));
    EXPECT_EQ(n, next_of_device[tap.device_id]++) << tap.msg_id;
  }
  EXPECT_EQ(store_->Counts().taps, 2 * kPerThread);
  EXPECT_EQ(db_->QueryInt("SELECT count(DISTINCT device_id || '/' || msg_id) FROM taps"),
            2 * kPerThread);
}

TEST_F(BatchWriterTest, ResultsMatchTheirEvents) {
  Recorder recorder;
  {
    BatchWriter writer(*store_, 8, recorder.Committed(), recorder.Error());
    for (int n = 0; n < 20; ++n) {
      writer.Submit(Event(0, n));
      if (n % 5 == 0) writer.Submit(Event(0, n));  // Resend: a duplicate.
    }
    core::Tap conflicting = MakeTap("0:3", "HH-0");
    conflicting.firmware = "other";
    writer.Submit(TapEvent(conflicting));
  }  // The destructor closes and drains.
  ASSERT_EQ(recorder.events.size(), 25u);
  ASSERT_EQ(recorder.results.size(), 25u);
  std::set<std::string> stored;
  for (std::size_t i = 0; i < recorder.events.size(); ++i) {
    const auto& tap = std::get<core::Tap>(recorder.events[i].decoded);
    const EventOutcome outcome = recorder.results[i].outcome;
    if (tap.firmware == "other") {
      EXPECT_EQ(outcome, EventOutcome::kRejected);
      ASSERT_TRUE(recorder.results[i].rejection.has_value());
      EXPECT_EQ(recorder.results[i].rejection->reason, core::RejectReason::kConflictingDuplicate);
    } else if (stored.insert(tap.msg_id).second) {
      EXPECT_EQ(outcome, EventOutcome::kStored) << tap.msg_id;
    } else {
      EXPECT_EQ(outcome, EventOutcome::kDuplicate) << tap.msg_id;
    }
  }
  EXPECT_EQ(store_->Counts().taps, 20);
  EXPECT_EQ(store_->Counts().rejected, 1);
}

TEST_F(BatchWriterTest, CloseWithNothingQueuedReturns) {
  Recorder recorder;
  BatchWriter writer(*store_, 16, recorder.Committed(), recorder.Error());
  writer.Close();
  EXPECT_TRUE(recorder.batch_sizes.empty());
}

// Another process holds the write lock for ~300 ms. The writer's connection gives up
// waiting quickly (busy timeout 20 ms instead of the default 5 s, so the lock outlasts
// it), so WriteBatch fails with SQLITE_BUSY; the writer must report, back off, retry and
// finally commit everything.
TEST_F(BatchWriterTest, RetriesWhileAnotherConnectionHoldsTheLock) {
  sqlite3_busy_timeout(db_->handle(), 20);
  Database other(dir_.File("writer.db"));
  other.Exec("BEGIN EXCLUSIVE");
  const auto locked_at = std::chrono::steady_clock::now();

  Recorder recorder;
  std::chrono::steady_clock::duration first_commit_after{};
  std::atomic<bool> committed{false};
  auto on_committed = [&, inner = recorder.Committed()](std::vector<PendingEvent> batch,
                                                        std::vector<EventResult> results,
                                                        BatchStats stats) {
    if (!committed.exchange(true)) first_commit_after = std::chrono::steady_clock::now() - locked_at;
    inner(std::move(batch), std::move(results), stats);
  };
  {
    BatchWriter writer(*store_, 32, on_committed, recorder.Error());
    std::thread producer([&writer] {
      for (int n = 0; n < 100; ++n) writer.Submit(Event(1, n));
    });
    for (int n = 0; n < 100; ++n) writer.Submit(Event(2, n));
    producer.join();

    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_FALSE(committed.load()) << "committed while the lock was held";
    other.Exec("COMMIT");
    writer.Close();
  }

  EXPECT_GE(recorder.errors.load(), 1) << "OnError was never called";
  EXPECT_GE(recorder.max_attempt.load(), 2) << "the same batch should fail more than once";
  for (bool t : recorder.transient) EXPECT_TRUE(t) << "SQLITE_BUSY must count as transient";
  EXPECT_GE(first_commit_after, std::chrono::milliseconds(300));
  ASSERT_EQ(recorder.events.size(), 200u);
  for (const auto& r : recorder.results) EXPECT_EQ(r.outcome, EventOutcome::kStored);
  EXPECT_EQ(store_->Counts().taps, 200);
}

// With the default busy timeout (5 s) a 300 ms lock is simply waited out by SQLite.
TEST_F(BatchWriterTest, ShortLockIsWaitedOutWithDefaultBusyTimeout) {
  Database other(dir_.File("writer.db"));
  other.Exec("BEGIN EXCLUSIVE");
  Recorder recorder;
  {
    BatchWriter writer(*store_, 32, recorder.Committed(), recorder.Error());
    for (int n = 0; n < 50; ++n) writer.Submit(Event(3, n));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    other.Exec("COMMIT");
  }
  EXPECT_EQ(recorder.errors.load(), 0);
  EXPECT_EQ(recorder.events.size(), 50u);
  EXPECT_EQ(store_->Counts().taps, 50);
}

}  // namespace
}  // namespace fieldproof::store
