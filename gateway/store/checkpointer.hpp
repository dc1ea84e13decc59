#pragma once
// Moves WAL checkpoints off the writers' commits. With SQLite's automatic checkpoints, the
// commit that takes the WAL past 1,000 pages copies them into the database file and syncs
// both files before it returns: intake stalled for tens of milliseconds at a time. Here a
// thread of its own runs a passive checkpoint (never blocking writers or readers) every
// `interval`, and this process's connections no longer checkpoint as they commit. Other
// processes (the CLI) keep SQLite's default.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace fieldproof::store {

class Checkpointer {
 public:
  explicit Checkpointer(std::string db_path,
                        std::chrono::milliseconds interval = std::chrono::milliseconds(250));
  ~Checkpointer();  // Stops after one last checkpoint.
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  void Run();

  std::string db_path_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fieldproof::store
