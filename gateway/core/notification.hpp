#pragma once
// Notifications (docs/notifications.md): owners and the maintenance company subscribe to the
// events they need, delivered by webhook or e-mail. Each event has a key that stays the same
// across retries and restarts (the receiver's idempotency key); a failed delivery is retried
// with growing pauses, then kept as failed for an admin to replay. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

enum class EventKind { kAlarmRaised, kWorkOrderOpened, kReviewWaiting, kDueDigest };
// alarm_raised | work_order_opened | review_waiting | due_digest
std::string_view ToString(EventKind kind);
std::optional<EventKind> EventKindFromString(std::string_view text);

enum class Channel { kWebhook, kEmail };

struct Subscription {
  std::int64_t id = 0;
  std::string name;
  std::string customer;  // The owner whose assets it hears of; "" = every customer (the maintenance company).
  std::string site;      // "" = every site.
  std::vector<EventKind> events;
  Channel channel = Channel::kWebhook;
  std::string target;  // https://… or http://…, or an e-mail address.
  std::string secret;  // Webhooks: the HMAC-SHA256 key of the signature.
  int digest_hour_utc = 6;  // When the day's due-soon and overdue digest goes out.
  UnixMillis created_at = 0;
};

// Why the subscription cannot work (a webhook URL that is not http(s), an e-mail address
// that is not one, no events, a short secret), or nullopt.
std::optional<std::string> SubscriptionProblem(const Subscription& subscription);

struct Event {
  EventKind kind = EventKind::kAlarmRaised;
  std::string key;  // "alarm-12", "work-order-7", "review-31", "digest-3-2026-12-02"
  std::string site;
  std::string customer;  // The asset's owner; "" for a digest (addressed to its subscription).
  std::string title;     // One line for people: an e-mail's subject.
  std::string body;      // The JSON document (codec).
};

// Whether the subscription hears of the event: its kind, its site, its customer's asset.
bool Wants(const Subscription& subscription, const Event& event);

// A delivery of one event to one subscription, as the log shows it.
struct DeliveryRow {
  std::int64_t id = 0;
  std::int64_t subscription_id = 0;
  std::string subscription;  // Its name.
  std::string event_key;
  std::string event_kind;
  std::string site;
  std::string title;
  std::string status;  // pending | delivered | failed
  std::int64_t attempts = 0;
  UnixMillis next_attempt_at = 0;
  std::string last_error;
  UnixMillis created_at = 0;
  std::optional<UnixMillis> delivered_at;
};

inline constexpr int kMaxDeliveryAttempts = 10;

// When to try again after `attempts` failed ones: 10 s, then three times as long each time,
// at most an hour between tries (about 4 h 20 min in all); nullopt once kMaxDeliveryAttempts
// have failed.
std::optional<UnixMillis> NextAttempt(int attempts, UnixMillis now);

}  // namespace fieldproof::core
