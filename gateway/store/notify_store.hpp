#pragma once
// Notifications (core/notification.hpp): subscriptions, the notifier's cursors over the
// sources of events (alarms, work orders, inspections awaiting review), and the deliveries,
// one per event and subscription.
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/alarm.hpp"
#include "gateway/core/notification.hpp"
#include "gateway/core/views.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {

// A source row the notifier turns into an event, with its asset's owner.
template <class T>
struct Sourced {
  std::int64_t id = 0;
  std::string site;
  std::string customer;
  T row;
};

struct DueDelivery {
  std::int64_t id = 0;
  core::Subscription subscription;
  core::Event event;
  int attempts = 0;
};

class NotifyStore {
 public:
  explicit NotifyStore(Database& db) : db_(db) {}

  std::int64_t AddSubscription(const core::Subscription& subscription);
  bool RemoveSubscription(std::int64_t id, core::UnixMillis now);
  std::vector<core::Subscription> Subscriptions();

  std::int64_t Cursor(const std::string& source);
  void SetCursor(const std::string& source, std::int64_t last_id);
  std::vector<Sourced<core::AlarmRecord>> AlarmsAfter(std::int64_t id, std::int64_t limit);
  std::vector<Sourced<core::WorkOrderRow>> WorkOrdersAfter(std::int64_t id, std::int64_t limit);
  // Inspections that ended needing review.
  std::vector<Sourced<core::InspectionSummary>> ReviewsAfter(std::int64_t id, std::int64_t limit);
  // The sites where the customer ("" = any) has assets.
  std::vector<std::string> SitesOf(const std::string& customer);

  // Queues the event for the subscription once; false when it was queued before.
  bool Enqueue(const core::Subscription& subscription, const core::Event& event, core::UnixMillis now);
  bool Queued(std::int64_t subscription_id, const std::string& event_key);
  std::vector<DueDelivery> Due(core::UnixMillis now, std::int64_t limit);
  void Delivered(std::int64_t id, core::UnixMillis now);
  // A failed attempt: tried again at `next`, or failed for good without one.
  void Failed(std::int64_t id, const std::string& error, std::optional<core::UnixMillis> next);
  // An admin's replay: pending again, now, with its attempts reset; false when there is none.
  bool Replay(std::int64_t id, core::UnixMillis now);
  core::Page<core::DeliveryRow> Log(const std::string& status, core::PageRequest page);
  std::optional<core::DeliveryRow> Delivery(std::int64_t id);

 private:
  Database& db_;
};

}  // namespace fieldproof::store
