#include "gateway/store/batch_writer.hpp"

#include <pthread.h>

#include <algorithm>

namespace fieldproof::store {

BatchWriter::BatchWriter(EventStore& store, std::size_t max_batch, OnCommitted on_committed,
                         OnError on_error, std::chrono::milliseconds commit_delay)
    : store_(store),
      max_batch_(std::max<std::size_t>(1, max_batch)),
      commit_delay_(commit_delay),
      on_committed_(std::move(on_committed)),
      on_error_(std::move(on_error)),
      thread_([this] { Run(); }) {}

BatchWriter::~BatchWriter() { Close(); }

void BatchWriter::Submit(PendingEvent event) {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(event));
    // The writer waits for the first event, or (delaying) for a full batch: no wake-up
    // for every message in between.
    wake = queue_.size() == 1 || queue_.size() == max_batch_;
  }
  if (wake) ready_.notify_one();
}

void BatchWriter::Close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  ready_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::size_t BatchWriter::Depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void BatchWriter::Run() {
  pthread_setname_np(pthread_self(), "fp-writer");  // Shown by top -H, perf, gdb.
  while (true) {
    std::vector<PendingEvent> batch;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // Closing, and everything is written.
      if (commit_delay_.count() > 0) {
        ready_.wait_for(lock, commit_delay_, [&] { return closing_ || queue_.size() >= max_batch_; });
      }
      const std::size_t n = std::min(max_batch_, queue_.size());
      batch.reserve(n);
      std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n),
                std::back_inserter(batch));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    }
    const auto start = std::chrono::steady_clock::now();
    int attempts = 0;
    std::vector<EventResult> results = CommitWithRetry(batch, attempts);
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    const BatchStats stats{batch.size(), elapsed, attempts};
    on_committed_(std::move(batch), std::move(results), stats);
  }
}

std::vector<EventResult> BatchWriter::CommitWithRetry(const std::vector<PendingEvent>& batch,
                                                      int& attempts) {
  auto backoff = std::chrono::milliseconds(50);
  for (int attempt = 1;; ++attempt) {
    attempts = attempt;
    try {
      return store_.WriteBatch(batch);
    } catch (const StoreError& error) {
      // Nothing of the batch was written; it stays ours until it commits. Intake
      // stalls meanwhile because admission slots are only released on commit.
      on_error_(error, attempt);
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    }
  }
}

}  // namespace fieldproof::store
