#include "gateway/http/fair_queue.hpp"

namespace fieldproof::http {

bool FairQueue::Push(const std::string& key, Job job) {
  {
    std::lock_guard lock(mutex_);
    if (closed_ || size_ >= capacity_) return false;
    auto& jobs = waiting_[key];
    if (jobs.empty()) turns_.push_back(key);
    jobs.push_back(std::move(job));
    ++size_;
  }
  ready_.notify_one();
  return true;
}

std::optional<FairQueue::Job> FairQueue::Pop() {
  std::unique_lock lock(mutex_);
  ready_.wait(lock, [this] { return closed_ || size_ > 0; });
  if (size_ == 0) return std::nullopt;
  std::string key = std::move(turns_.front());
  turns_.pop_front();
  auto it = waiting_.find(key);
  Job job = std::move(it->second.front());
  it->second.pop_front();
  --size_;
  if (it->second.empty()) {
    waiting_.erase(it);
  } else {
    turns_.push_back(std::move(key));  // Its next job waits for every other key's turn.
  }
  return job;
}

std::size_t FairQueue::size() const {
  std::lock_guard lock(mutex_);
  return size_;
}

void FairQueue::Close() {
  std::map<std::string, std::deque<Job>> dropped;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    dropped.swap(waiting_);
    turns_.clear();
    size_ = 0;
  }
  ready_.notify_all();
}  // The dropped jobs go here, outside the lock.

}  // namespace fieldproof::http
