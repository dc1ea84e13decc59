#pragma once
// Faults the reliability tests inject into a real gateway (docs/reliability.md), inert
// unless asked for: while the file `full_flag` names exists, every transaction fails as on
// a full disk; `delay` slows every transaction down. The gateway reads them from
// FIELDPROOF_FAULT_STORE_FULL and FIELDPROOF_FAULT_STORE_DELAY_MS.
#include <chrono>
#include <memory>
#include <string>

#include "gateway/store/event_store.hpp"

namespace fieldproof::store {

struct InjectedFaults {
  std::string full_flag;  // Empty: never full.
  std::chrono::milliseconds delay{0};
  bool any() const { return !full_flag.empty() || delay.count() > 0; }
};

// The plain EventStore when no fault is asked for.
std::unique_ptr<EventStore> MakeEventStore(Database& db, RejectedRetention retention,
                                           const InjectedFaults& faults = {});

}  // namespace fieldproof::store
