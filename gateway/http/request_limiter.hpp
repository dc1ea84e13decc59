#pragma once
// How often one client may ask: a token bucket per key (the request's bearer token), so a
// script that hammers the API gets 429 with Retry-After instead of slowing everybody else.
// The time comes in as an argument; thread-safe.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fieldproof::http {

struct RateLimit {
  double per_second = 10;  // Sustained requests a second; 0: no limit.
  double burst = 50;       // Requests at once after a quiet spell.
};

class RequestLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // At most `max_keys` buckets are kept (plus one that keys beyond them share); idle ones
  // (full again) are forgotten first, busy ones never.
  explicit RequestLimiter(RateLimit limit, std::size_t max_keys = 10000);

  std::size_t keys() const;  // Buckets kept now.

  // Zero when the request may go ahead; otherwise the whole seconds until the key has a
  // token again (at least 1), for Retry-After.
  std::chrono::seconds Admit(std::string_view key, Clock::time_point now);

 private:
  struct Bucket {
    double tokens;
    Clock::time_point filled_at;
  };
  double Refilled(const Bucket& bucket, Clock::time_point now) const;
  void ForgetIdle(Clock::time_point now);

  static constexpr std::string_view kCrowd = "\x01 keys beyond max_keys";

  const RateLimit limit_;
  const std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace fieldproof::http
