#pragma once
// Copies the WAL back into the database on a thread of its own, so that no commit waits
// for a checkpoint. SQLite's automatic checkpoint runs inside the commit that takes the
// WAL past 1,000 pages: it reads those pages, writes them into the database and syncs
// both files (each fdatasync up to 31 ms on the project machine), and every message queued
// behind that commit waits for all of it (docs/performance.md).
//
// This turns the automatic checkpoint off on the writers' connection and wakes a thread
// when a commit leaves the WAL at `wal_pages` or more. The thread copies in two passes:
//   1. beside the writers (passive), in rounds: each round copies what the writers committed
//      during the round before, until one copies at most kFewFrames (or after
//      kMaxRoundsBeside rounds);
//   2. holding the process's write lock (passive again), taken at a moment when no writer
//      holds it or waits for it (tried about once a millisecond; when it is free but commits
//      came since the last round, it is let go for another round and tried again at once;
//      queued for after kTriesForAFreeLock tries or once the WAL is twice `wal_pages`): the
//      frames committed since the last round, usually none. Then every frame is in the
//      database, and the next transaction starts the WAL over from its beginning.
// Commits wait for pass 2 only, so it is kept short. With a single round in pass 1 and pass 2
// queued for the lock, pass 2 copied what the round and the transactions ahead let in, and
// held the writers for 10 ms at the median and 53 ms at the 99th percentile at 6,400 msg/s
// (docs/performance.md).
// Pass 2 is what keeps the WAL small. A checkpointer without it never lets the WAL start
// over while writers keep committing: it grew to 2.9 GB in a benchmark.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

class Checkpointer {
 public:
  // `writers` is the connection the process's writers share; the checkpointer opens its own.
  explicit Checkpointer(Database& writers, int wal_pages = 8000);
  ~Checkpointer();  // Stops the thread; SQLite's automatic checkpoints apply again.
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  std::uint64_t checkpoints() const { return checkpoints_; }  // Completed two-pass rounds.
  // Frames copied while the writers waited, over all checkpoints, and the longest wait.
  std::uint64_t frames_copied_held() const { return frames_copied_held_; }
  std::chrono::microseconds longest_hold() const {
    return std::chrono::microseconds(longest_hold_us_);
  }

  static constexpr int kFewFrames = 32;
  static constexpr int kMaxRoundsBeside = 8;
  // About 1 ms apart. Then, or once the WAL is twice `wal_pages`, pass 2 queues for the lock.
  static constexpr int kTriesForAFreeLock = 200;

 private:
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Run();
  // Pass 1 on the checkpointer's connection `db`; `backfilled` as sqlite3_wal_checkpoint_v2's.
  bool CopyBesideWriters(Database& db, int& backfilled);
  // Both return a unique_lock that does not own the lock if it was not taken.
  std::unique_lock<FifoLock> TryWriteLock();
  std::unique_lock<FifoLock> QueueForWriteLock();

  Database& writers_;
  const int wal_pages_;
  std::mutex mutex_;
  std::condition_variable due_or_stopping_;
  bool due_ = false;
  bool stopping_ = false;
  std::atomic<std::uint64_t> checkpoints_{0};
  std::atomic<std::uint64_t> frames_copied_held_{0};
  std::atomic<std::int64_t> longest_hold_us_{0};
  std::atomic<int> committed_frames_{0};  // The WAL's length after the latest commit.
  std::thread thread_;
};

}  // namespace fieldproof::store
