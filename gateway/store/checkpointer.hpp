#pragma once
// Copies the WAL back into the database on a thread of its own, so that no commit waits
// for a checkpoint. SQLite's automatic checkpoint runs inside the commit that takes the
// WAL past 1,000 pages: it reads those pages, writes them into the database and syncs
// both files (each fdatasync up to 31 ms on the project machine), and every message queued
// behind that commit waits for all of it (docs/performance.md).
//
// This turns the automatic checkpoint off on the writers' connection and wakes a thread
// when a commit leaves the WAL at `wal_pages` or more. The thread copies in two passes:
//   1. beside the writers (passive): almost every frame;
//   2. holding the process's write lock (passive again): the few frames committed during
//      pass 1. Then every frame is in the database, and the next transaction starts the
//      WAL over from its beginning.
// Pass 2 is what keeps the WAL small. A checkpointer without it never lets the WAL start
// over while writers keep committing: it grew to 2.9 GB in a benchmark.
#include <atomic>
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
  explicit Checkpointer(Database& writers, int wal_pages = 1000);
  ~Checkpointer();  // Stops the thread; SQLite's automatic checkpoints apply again.
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  std::uint64_t checkpoints() const { return checkpoints_; }  // Completed two-pass rounds.

 private:
  static int OnCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Run();

  Database& writers_;
  const int wal_pages_;
  std::mutex mutex_;
  std::condition_variable due_or_stopping_;
  bool due_ = false;
  bool stopping_ = false;
  std::atomic<std::uint64_t> checkpoints_{0};
  std::thread thread_;
};

}  // namespace fieldproof::store
