#pragma once
// Runs the AlarmAssessor on a thread of its own, off intake's path: it looks for new
// telemetry every five seconds (or when woken) and reads it in batches, sharing intake's
// SQLite connection (whose cache holds what intake just wrote) and taking turns on its write
// lock to read a batch and to write what it decided, not while it judges. It writes the
// sensors' memory back every minute and when it stops.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "gateway/verify/alarm_assessor.hpp"

namespace fieldproof::verify {

struct AlarmMetrics {
  std::atomic<std::uint64_t> readings{0};
  std::atomic<std::uint64_t> raised{0};
  std::atomic<std::uint64_t> cleared{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> busy_micros{0};  // Time spent assessing, for the cost per reading.
};

class AlarmWorker {
 public:
  using ClockFn = core::UnixMillis (*)();

  // Restores the sensors' memory before it returns.
  AlarmWorker(store::Database& db, std::map<std::string, core::AlarmPolicy> policies, ClockFn clock);
  ~AlarmWorker();  // Stop().

  void Wake();  // Any thread.
  // Assesses what is pending, then stops.
  void Stop();
  const AlarmMetrics& metrics() const { return metrics_; }

 private:
  void Run();
  bool AssessBatch();  // true when a full batch was read: more may wait.
  void SaveMemory();

  ClockFn clock_;
  AlarmAssessor assessor_;
  std::chrono::steady_clock::time_point last_save_;
  AlarmMetrics metrics_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fieldproof::verify
