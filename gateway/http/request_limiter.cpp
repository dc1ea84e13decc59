#include "gateway/http/request_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace fieldproof::http {

RequestLimiter::RequestLimiter(RateLimit limit, std::size_t max_keys)
    : limit_(limit), max_keys_(std::max<std::size_t>(1, max_keys)) {}

double RequestLimiter::Refilled(const Bucket& bucket, Clock::time_point now) const {
  const std::chrono::duration<double> quiet = now - bucket.filled_at;
  return std::min(limit_.burst, bucket.tokens + std::max(0.0, quiet.count()) * limit_.per_second);
}

void RequestLimiter::ForgetIdle(Clock::time_point now) {
  std::erase_if(buckets_, [&](const auto& entry) { return Refilled(entry.second, now) >= limit_.burst; });
}

std::size_t RequestLimiter::keys() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

std::chrono::seconds RequestLimiter::Admit(std::string_view key, Clock::time_point now) {
  if (limit_.per_second <= 0) return std::chrono::seconds(0);
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) ForgetIdle(now);
    // Still full (thousands of made-up tokens at once): the newcomers share one bucket, and
    // the busy ones keep theirs.
    const std::string name = buckets_.size() < max_keys_ ? std::string(key) : std::string(kCrowd);
    it = buckets_.try_emplace(name, Bucket{limit_.burst, now}).first;
  }
  Bucket& bucket = it->second;
  bucket.tokens = Refilled(bucket, now);
  bucket.filled_at = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return std::chrono::seconds(0);
  }
  const double wait = (1 - bucket.tokens) / limit_.per_second;
  return std::chrono::seconds(std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait))));
}

}  // namespace fieldproof::http
