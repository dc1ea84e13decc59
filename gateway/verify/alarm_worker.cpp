#include "gateway/verify/alarm_worker.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>

namespace fieldproof::verify {

// Messages per batch. Intake waits while a batch is read and while its alarms, closing
// times and cursor are written, not while it is judged.
constexpr std::int64_t kReadingsPerTransaction = 1000;
constexpr auto kRound = std::chrono::seconds(5);
// A crash makes the next start replay at most this much telemetry for the memory.
constexpr auto kMemoryWriteBack = std::chrono::minutes(1);
// The thread's nice value: on a machine busy to its limit intake goes first, and judging,
// which can wait seconds, takes the CPU that is left (docs/performance.md, "Alarms").
constexpr int kNiceness = 10;

AlarmWorker::AlarmWorker(store::Database& db, std::map<std::string, core::AlarmPolicy> policies, ClockFn clock)
    : clock_(clock), assessor_(db, std::move(policies)), last_save_(std::chrono::steady_clock::now()),
      thread_([this] { Run(); }) {
  if (assessor_.replayed() > 0) {
    spdlog::info("alarms: {} messages read again for the sensors' memory since its last write-back",
                 assessor_.replayed());
  }
}

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

void AlarmWorker::SaveMemory() {
  assessor_.SaveMemory();
  last_save_ = std::chrono::steady_clock::now();
}

void AlarmWorker::Run() {
  pthread_setname_np(pthread_self(), "fp-alarms");
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kNiceness) != 0) {
    spdlog::warn("alarms: could not lower the thread's priority; judging competes with intake");
  }
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
      if (last_round || std::chrono::steady_clock::now() - last_save_ >= kMemoryWriteBack) SaveMemory();
    } catch (const store::StoreError& e) {
      ++metrics_.errors;
      spdlog::error("alarms: {}; retrying", e.what());
    }
    if (last_round) return;
  }
}

}  // namespace fieldproof::verify
