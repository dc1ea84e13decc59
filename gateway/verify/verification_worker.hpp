#pragma once
// Runs the TapVerifier on a thread of its own, so verification never slows intake: the
// ingest path only wakes it after a commit, and it then lets taps gather for 20 ms so that one
// transaction assesses several. It also polls once a second, and at start it finishes
// whatever a previous run left unassessed.
// It shares intake's SQLite connection, taking turns on the write lock: a connection's
// page cache is emptied whenever another connection commits (SQLite cannot tell which
// pages changed), so two writers on two connections emptied each other's cache at every
// commit and read their index pages back from the file (docs/performance.md).
#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "gateway/verify/tap_verifier.hpp"

namespace fieldproof::verify {

struct VerificationMetrics {
  std::atomic<std::uint64_t> taps_assessed{0};
  std::array<std::atomic<std::uint64_t>, 4> verdicts{};  // Indexed by core::Verdict.
  std::atomic<std::uint64_t> errors{0};
};

class VerificationWorker {
 public:
  using PublishFn = std::function<void(std::string topic, std::string payload)>;
  using ClockFn = std::function<core::UnixMillis()>;

  // `db` is used only inside store::InTransaction, as intake's writer does.
  VerificationWorker(store::Database& db, VerifierConfig config, PublishFn publish, ClockFn clock);
  ~VerificationWorker();  // Stop().

  void Wake();  // Any thread.
  // Assesses what is pending, then stops.
  void Stop();
  const VerificationMetrics& metrics() const { return metrics_; }

 private:
  void Run();

  TapVerifier verifier_;
  PublishFn publish_;
  ClockFn clock_;
  VerificationMetrics metrics_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fieldproof::verify
