#pragma once
// API requests waiting for a worker thread, taken in turn by key (the request's bearer
// token): one client with many connections waits behind itself, not in front of everybody
// else. Bounded; thread-safe.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace fieldproof::http {

class FairQueue {
 public:
  using Job = std::function<void()>;

  explicit FairQueue(std::size_t capacity) : capacity_(capacity) {}

  // False when `capacity` jobs already wait, or after Close().
  bool Push(const std::string& key, Job job);
  // The next key's oldest job; blocks until there is one. nullopt once closed and empty.
  std::optional<Job> Pop();
  std::size_t size() const;
  // Drops the jobs still waiting (shutting down), wakes every Pop(), refuses new ones.
  void Close();

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::map<std::string, std::deque<Job>> waiting_;  // Per key, oldest first.
  std::deque<std::string> turns_;                   // Keys with work, next one first.
  std::size_t size_ = 0;
  bool closed_ = false;
};

}  // namespace fieldproof::http
