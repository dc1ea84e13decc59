#include "gateway/store/fault_injection.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <thread>

namespace fieldproof::store {
namespace {

class FaultInjectingEventStore : public EventStore {
 public:
  FaultInjectingEventStore(Database& db, RejectedRetention retention, InjectedFaults faults)
      : EventStore(db, retention), faults_(std::move(faults)) {}

  std::vector<EventResult> WriteBatch(std::span<const PendingEvent> events) override {
    std::this_thread::sleep_for(faults_.delay);
    if (!faults_.full_flag.empty() && std::filesystem::exists(faults_.full_flag)) {
      throw StoreError(SQLITE_FULL, "database or disk is full (injected: " + faults_.full_flag + ")");
    }
    return EventStore::WriteBatch(events);
  }

 private:
  InjectedFaults faults_;
};

}  // namespace

std::unique_ptr<EventStore> MakeEventStore(Database& db, RejectedRetention retention,
                                           const InjectedFaults& faults) {
  if (!faults.any()) return std::make_unique<EventStore>(db, retention);
  return std::make_unique<FaultInjectingEventStore>(db, retention, faults);
}

}  // namespace fieldproof::store
