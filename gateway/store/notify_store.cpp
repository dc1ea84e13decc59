#include "gateway/store/notify_store.hpp"

#include "gateway/store/alarm_store.hpp"
#include "gateway/store/inspection_queries.hpp"
#include "gateway/store/read_page.hpp"
#include "gateway/store/work_orders.hpp"

namespace fieldproof::store {
namespace {

constexpr std::string_view kSubscriptionColumns =
    "s.id AS sub_id, s.name AS sub_name, s.customer AS sub_customer, s.site AS sub_site, s.events AS sub_events, "
    "s.channel AS sub_channel, s.target AS sub_target, s.secret AS sub_secret, s.digest_hour AS sub_digest_hour, "
    "s.created_at AS sub_created_at";

std::string JoinEvents(const std::vector<core::EventKind>& events) {
  std::string joined;
  for (auto e : events) joined += (joined.empty() ? "" : ",") + std::string(core::ToString(e));
  return joined;
}

core::Subscription ReadSubscription(const Statement& s) {
  core::Subscription sub;
  sub.id = s.Int("sub_id");
  sub.name = s.Text("sub_name");
  sub.customer = s.Text("sub_customer");
  sub.site = s.Text("sub_site");
  const std::string events = s.Text("sub_events");
  for (std::size_t start = 0; start <= events.size();) {
    const std::size_t end = std::min(events.find(',', start), events.size());
    if (const auto kind = core::EventKindFromString(std::string_view(events).substr(start, end - start))) {
      sub.events.push_back(*kind);
    }
    start = end + 1;
  }
  sub.channel = s.Text("sub_channel") == "email" ? core::Channel::kEmail : core::Channel::kWebhook;
  sub.target = s.Text("sub_target");
  sub.secret = s.Text("sub_secret");
  sub.digest_hour_utc = static_cast<int>(s.Int("sub_digest_hour"));
  sub.created_at = s.Int("sub_created_at");
  return sub;
}

}  // namespace

std::int64_t NotifyStore::AddSubscription(const core::Subscription& sub) {
  std::int64_t id = 0;
  InTransaction(db_, [&] {
    db_.Prepare("INSERT INTO subscriptions (name, customer, site, events, channel, target, secret, digest_hour, "
                "created_at) VALUES (?,?,?,?,?,?,?,?,?)")
        .Bind(1, sub.name).Bind(2, sub.customer).Bind(3, sub.site).Bind(4, JoinEvents(sub.events))
        .Bind(5, sub.channel == core::Channel::kEmail ? "email" : "webhook")
        .Bind(6, sub.target).Bind(7, sub.secret).Bind(8, sub.digest_hour_utc).Bind(9, sub.created_at)
        .Run();
    id = db_.LastInsertRowId();
  });
  return id;
}

bool NotifyStore::RemoveSubscription(std::int64_t id, core::UnixMillis now) {
  bool removed = false;
  InTransaction(db_, [&] {
    db_.Prepare("UPDATE subscriptions SET removed_at = ? WHERE id = ? AND removed_at IS NULL").Bind(1, now).Bind(2, id).Run();
    removed = db_.Changes() == 1;
    // What was still to be sent goes nowhere now; the log keeps it.
    db_.Prepare("UPDATE deliveries SET status = 'failed', last_error = 'subscription removed' "
                "WHERE subscription_id = ? AND status = 'pending'")
        .Bind(1, id)
        .Run();
  });
  return removed;
}

std::vector<core::Subscription> NotifyStore::Subscriptions() {
  auto s = db_.Prepare("SELECT " + std::string(kSubscriptionColumns) +
                       " FROM subscriptions s WHERE removed_at IS NULL ORDER BY id");
  std::vector<core::Subscription> subs;
  while (s.Step()) subs.push_back(ReadSubscription(s));
  return subs;
}

std::int64_t NotifyStore::Cursor(const std::string& source) {
  auto s = db_.Prepare("SELECT last_id FROM notification_cursor WHERE source = ?");
  s.Bind(1, source);
  const std::int64_t id = s.Step() ? s.Int("last_id") : 0;
  s.Reset();
  return id;
}

void NotifyStore::SetCursor(const std::string& source, std::int64_t last_id) {
  db_.Prepare("UPDATE notification_cursor SET last_id = ? WHERE source = ?").Bind(1, last_id).Bind(2, source).Run();
}

std::vector<Sourced<core::AlarmRecord>> NotifyStore::AlarmsAfter(std::int64_t id, std::int64_t limit) {
  auto s = db_.Prepare(
      "SELECT x.id, x.site, coalesce(a.owner_id, '') AS owner_id FROM alarms x LEFT JOIN assets a "
      "ON a.site = x.site AND a.asset_id = x.asset_id WHERE x.id > ? ORDER BY x.id LIMIT ?");
  s.Bind(1, id).Bind(2, limit);
  std::vector<Sourced<core::AlarmRecord>> found;
  while (s.Step()) found.push_back({s.Int("id"), s.Text("site"), s.Text("owner_id"), {}});
  AlarmStore alarms(db_);
  for (auto& f : found) f.row = *alarms.Find(f.id, "");
  return found;
}

std::vector<Sourced<core::WorkOrderRow>> NotifyStore::WorkOrdersAfter(std::int64_t id, std::int64_t limit) {
  auto s = db_.Prepare(
      "SELECT w.id, w.site, w.asset_id, w.status, w.inspection_id, w.defect_code, w.severity, w.note, "
      "w.created_at, w.completed_by, w.completed_at, coalesce(a.owner_id, '') AS owner_id FROM work_orders w "
      "LEFT JOIN assets a ON a.site = w.site AND a.asset_id = w.asset_id WHERE w.id > ? ORDER BY w.id LIMIT ?");
  s.Bind(1, id).Bind(2, limit);
  std::vector<Sourced<core::WorkOrderRow>> found;
  while (s.Step()) found.push_back({s.Int("id"), s.Text("site"), s.Text("owner_id"), ReadWorkOrder(s)});
  return found;
}

std::vector<Sourced<core::InspectionSummary>> NotifyStore::ReviewsAfter(std::int64_t id, std::int64_t limit) {
  std::vector<Sourced<core::InspectionSummary>> found;
  for (auto& [owner, summary] : NeedingReviewAfter(db_, id, limit)) {
    found.push_back({summary.id, summary.site, owner, std::move(summary)});
  }
  return found;
}

std::vector<std::string> NotifyStore::SitesOf(const std::string& customer) {
  auto s = db_.Prepare("SELECT DISTINCT site FROM assets WHERE ?1 = '' OR owner_id = ?1 ORDER BY site");
  s.Bind(1, customer);
  std::vector<std::string> sites;
  while (s.Step()) sites.push_back(s.Text("site"));
  return sites;
}

bool NotifyStore::Enqueue(const core::Subscription& sub, const core::Event& e, core::UnixMillis now) {
  db_.Prepare("INSERT INTO deliveries (subscription_id, event_key, event_kind, site, title, body, next_attempt_at, "
              "created_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (subscription_id, event_key) DO NOTHING")
      .Bind(1, sub.id).Bind(2, e.key).Bind(3, core::ToString(e.kind)).Bind(4, e.site).Bind(5, e.title)
      .Bind(6, e.body).Bind(7, now).Bind(8, now)
      .Run();
  return db_.Changes() == 1;
}

bool NotifyStore::Queued(std::int64_t subscription_id, const std::string& event_key) {
  auto s = db_.Prepare("SELECT 1 FROM deliveries WHERE subscription_id = ? AND event_key = ?");
  s.Bind(1, subscription_id).Bind(2, event_key);
  const bool queued = s.Step();
  s.Reset();
  return queued;
}

std::vector<DueDelivery> NotifyStore::Due(core::UnixMillis now, std::int64_t limit) {
  auto s = db_.Prepare(
      "SELECT d.id, d.event_key, d.event_kind, d.site, d.title, d.body, d.attempts, " +
      std::string(kSubscriptionColumns) +
      " FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id "
      "WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND s.removed_at IS NULL "
      "ORDER BY d.next_attempt_at, d.id LIMIT ?");
  s.Bind(1, now).Bind(2, limit);
  std::vector<DueDelivery> due;
  while (s.Step()) {
    core::Event e{core::EventKindFromString(s.Text("event_kind")).value_or(core::EventKind::kAlarmRaised),
                  s.Text("event_key"), s.Text("site"), "", s.Text("title"), s.Text("body")};
    due.push_back({s.Int("id"), ReadSubscription(s), std::move(e), static_cast<int>(s.Int("attempts"))});
  }
  return due;
}

void NotifyStore::Delivered(std::int64_t id, core::UnixMillis now) {
  InTransaction(db_, [&] {
    db_.Prepare("UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, "
                "last_error = '' WHERE id = ?")
        .Bind(1, now).Bind(2, id)
        .Run();
  });
}

void NotifyStore::Failed(std::int64_t id, const std::string& error, std::optional<core::UnixMillis> next) {
  InTransaction(db_, [&] {
    db_.Prepare("UPDATE deliveries SET attempts = attempts + 1, last_error = ?, status = ?, "
                "next_attempt_at = coalesce(?, next_attempt_at) WHERE id = ?")
        .Bind(1, error).Bind(2, next ? "pending" : "failed").BindOptional(3, next).Bind(4, id)
        .Run();
  });
}

bool NotifyStore::Replay(std::int64_t id, core::UnixMillis now) {
  bool found = false;
  InTransaction(db_, [&] {
    db_.Prepare("UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ?")
        .Bind(1, now).Bind(2, id)
        .Run();
    found = db_.Changes() == 1;
  });
  return found;
}

namespace {

constexpr std::string_view kDeliveryColumns =
    "d.id, d.subscription_id, s.name, d.event_key, d.event_kind, d.site, d.title, d.status, d.attempts, "
    "d.next_attempt_at, d.last_error, d.created_at, d.delivered_at FROM deliveries d "
    "JOIN subscriptions s ON s.id = d.subscription_id";

core::DeliveryRow ReadDelivery(const Statement& r) {
  return core::DeliveryRow{r.Int("id"),          r.Int("subscription_id"), r.Text("name"),
                           r.Text("event_key"),  r.Text("event_kind"),     r.Text("site"),
                           r.Text("title"),      r.Text("status"),         r.Int("attempts"),
                           r.Int("next_attempt_at"), r.Text("last_error"), r.Int("created_at"),
                           r.OptionalInt("delivered_at")};
}

}  // namespace

core::Page<core::DeliveryRow> NotifyStore::Log(const std::string& status, core::PageRequest page) {
  auto s = db_.Prepare("SELECT " + std::string(kDeliveryColumns) +
                       " WHERE (?1 = '' OR d.status = ?1) ORDER BY d.id DESC LIMIT ?2 OFFSET ?3");
  s.Bind(1, status).Bind(2, page.limit + 1).Bind(3, page.offset);
  return ReadPage<core::DeliveryRow>(s, page, ReadDelivery);
}

std::optional<core::DeliveryRow> NotifyStore::Delivery(std::int64_t id) {
  auto s = db_.Prepare("SELECT " + std::string(kDeliveryColumns) + " WHERE d.id = ?");
  s.Bind(1, id);
  if (!s.Step()) return std::nullopt;
  auto row = ReadDelivery(s);
  s.Reset();
  return row;
}

}  // namespace fieldproof::store
