#include "gateway/verify/alarm_worker.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>

namespace fieldproof::verify {

// Messages per transaction: intake waits for the write lock meanwhile (about 12 ms for
// 1,000). Every message rewrites its sensor's memory; gathered for a few seconds, many land
// on the same pages of sensor_memory, so a commit writes far fewer pages per message. Small
// batches every second cost intake a third of its rate at half load (docs/performance.md,
// "Alarms").
constexpr std::int64_t kReadingsPerTransaction = 1000;
constexpr auto kRound = std::chrono::seconds(5);

AlarmWorker::AlarmWorker(store::Database& db, std::map<std::string, core::AlarmPolicy> policies, ClockFn clock)
    : assessor_(db, std::move(policies)), clock_(clock), thread_([this] { Run(); }) {}

AlarmWorker::~AlarmWorker() { Stop(); }

void AlarmWorker::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_one();
}

void AlarmWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

bool AlarmWorker::AssessBatch() {
  const auto start = std::chrono::steady_clock::now();
  const AlarmReport report = assessor_.AssessPending(kReadingsPerTransaction, clock_());
  metrics_.busy_micros += static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
  metrics_.readings += static_cast<std::uint64_t>(report.readings);
  metrics_.raised += static_cast<std::uint64_t>(report.raised);
  metrics_.cleared += static_cast<std::uint64_t>(report.cleared);
  if (report.raised > 0) spdlog::info("alarms: {} raised, {} cleared", report.raised, report.cleared);
  return report.readings == kReadingsPerTransaction;
}

void AlarmWorker::Run() {
  pthread_setname_np(pthread_self(), "fp-alarms");
  while (true) {
    bool last_round;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, kRound, [this] { return woken_ || stopping_; });
      woken_ = false;
      last_round = stopping_;
    }
    try {
      while (AssessBatch()) {
      }
    } catch (const store::StoreError& e) {
      ++metrics_.errors;
      spdlog::error("alarms: {}; retrying", e.what());
    }
    if (last_round) return;
  }
}

}  // namespace fieldproof::verify
