#pragma once
// Inspections that must not pass, and honest ones that look odd but must: each case is a
// short sequence of taps and telemetry with the verdict (and the decisive checks) the
// gateway must reach. Tags are real NTAG 424 DNA emulations with the site's keys, so
// only the behaviour differs from an honest visit. Pure: the caller publishes.
#include <string>
#include <vector>

#include "firmware-sim/scenario.hpp"

namespace fieldproof::sim {

struct ExpectedCheck {
  std::string name;
  std::string status;  // pass, review, fail, n/a
};

struct Expectation {
  std::string end_msg_id;  // The end tap whose inspection is judged.
  std::string verdict;
  std::vector<ExpectedCheck> checks;
};

struct FraudCase {
  std::string name;
  std::string story;
  std::vector<Outbound> messages;  // In publishing order.
  std::vector<Expectation> expectations;
};

// Cases start at `start`, two simulated hours apart. Tag counters start at 1000 so they
// never collide with an ordinary simulator run on the same site.
std::vector<FraudCase> BuildFraudCases(const Site& site, const crypto::Key128& master_key,
                                       core::UnixMillis start);

}  // namespace fieldproof::sim
