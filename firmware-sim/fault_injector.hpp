#pragma once
// Misbehaving firmware and flaky links, on purpose: resends of messages already
// sent (same bytes, same msg_id) and garbage the gateway must refuse with a
// specific reason. Each injected message says what the gateway should do with it.
#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "firmware-sim/scenario.hpp"

namespace fieldproof::sim {

struct FaultSpec {
  std::uint64_t seed = 1;
  double duplicate_ratio = 0;  // Chance, after each good message, to resend an earlier one.
  double garbage_ratio = 0;    // Chance, after each good message, to send a bad one.
};

struct Injected {
  std::string topic;
  std::string payload;
  std::string expected_reason;  // Rejection reason code; empty for a duplicate.
};

class FaultInjector {
 public:
  explicit FaultInjector(FaultSpec spec) : spec_(spec), rng_(spec.seed ^ 0xBADC0DEULL) {}
  std::vector<Injected> After(const Outbound& good);

 private:
  Injected Garbage(const Outbound& good);

  FaultSpec spec_;
  std::mt19937_64 rng_;
  std::deque<Outbound> recent_;  // Resend candidates.
  std::uint64_t junk_ = 0;
};

}  // namespace fieldproof::sim
