#pragma once
// Owns the SQLite connection's write side on a thread of its own, so the Asio thread
// never blocks on disk. Each turn takes everything queued (up to max_batch) and commits
// it as one transaction: group commit that grows with load. With a commit delay, a turn
// waits that long after its first event for more (unless max_batch are queued): at a
// moderate rate a transaction then carries tens of messages instead of a few, and each
// costs its pages once (docs/performance.md). A failed transaction is
// retried with backoff, never dropped. The queue itself is not bounded here: callers
// admit at most N events in flight (see ingest::Admission) and release on commit.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "gateway/store/event_store.hpp"

namespace fieldproof::store {

struct BatchStats {
  std::size_t events = 0;
  std::chrono::microseconds commit_time{0};
  int attempts = 1;  // More than one: the store failed and recovered.
};

class BatchWriter {
 public:
  // Called on the writer thread after each commit.
  using OnCommitted = std::function<void(std::vector<PendingEvent>, std::vector<EventResult>,
                                         BatchStats)>;
  using OnError = std::function<void(const StoreError&, int attempt)>;

  BatchWriter(EventStore& store, std::size_t max_batch, OnCommitted on_committed,
              OnError on_error, std::chrono::milliseconds commit_delay = {});
  ~BatchWriter();  // Calls Close().

  void Submit(PendingEvent event);
  // Writes what is queued, then stops the thread. Idempotent.
  void Close();
  std::size_t Depth() const;

 private:
  void Run();
  std::vector<EventResult> CommitWithRetry(const std::vector<PendingEvent>& batch, int& attempts);

  EventStore& store_;
  const std::size_t max_batch_;
  const std::chrono::milliseconds commit_delay_;
  OnCommitted on_committed_;
  OnError on_error_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<PendingEvent> queue_;
  bool closing_ = false;
  std::thread thread_;
};

}  // namespace fieldproof::store
