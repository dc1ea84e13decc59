#include "gateway/verify/verification_worker.hpp"

#include <pthread.h>

#include <spdlog/spdlog.h>

namespace fieldproof::verify {

// Intake waits for the database while a verification transaction runs (one writer at a
// time): 50 taps hold it for a few milliseconds, 500 held it for over 100 ms under load.
constexpr std::size_t kTapsPerTransaction = 50;

// After a wake-up the worker lets taps gather this long, so that at a steady trickle one
// transaction assesses several taps: every commit rewrites the pages it touched (taps,
// evidence, records and their indexes), whether for one tap or twenty.
constexpr auto kGatherTime = std::chrono::milliseconds(20);

VerificationWorker::VerificationWorker(store::Database& db, VerifierConfig config,
                                       PublishFn publish, ClockFn clock)
    : verifier_(db, std::move(config)),
      publish_(std::move(publish)),
      clock_(std::move(clock)),
      thread_([this] { Run(); }) {}

VerificationWorker::~VerificationWorker() { Stop(); }

void VerificationWorker::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_one();
}

void VerificationWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void VerificationWorker::Run() {
  pthread_setname_np(pthread_self(), "fp-verify");
  while (true) {
    bool last_round;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return woken_ || stopping_; });
      wake_.wait_for(lock, kGatherTime, [this] { return stopping_; });
      woken_ = false;
      last_round = stopping_;
    }
    try {
      for (;;) {
        AssessReport report = verifier_.AssessPending(kTapsPerTransaction, clock_());
        metrics_.taps_assessed += report.taps;
        for (auto& notice : report.notices) {
          ++metrics_.verdicts[static_cast<std::size_t>(notice.verdict)];
          publish_(std::move(notice.topic), std::move(notice.payload));
        }
        if (report.taps < kTapsPerTransaction) break;
      }
    } catch (const store::StoreError& e) {
      ++metrics_.errors;
      spdlog::error("verify: {}; retrying", e.what());
    }
    if (last_round) return;
  }
}

}  // namespace fieldproof::verify
