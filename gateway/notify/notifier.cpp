#include "gateway/notify/notifier.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "gateway/codec/alarm_codec.hpp"
#include "gateway/codec/notification_codec.hpp"
#include "gateway/codec/view_codec.hpp"
#include "gateway/store/coverage_store.hpp"
#include "gateway/store/notify_store.hpp"

namespace fieldproof::notify {
namespace {

constexpr std::int64_t kSourceBatch = 200;   // New rows per source and round.
constexpr std::int64_t kSendBatch = 20;      // Deliveries per round.
constexpr std::size_t kDigestOverdue = 50;   // Most overdue assets named in a digest.

std::string AlarmTitle(const core::AlarmRecord& a) {
  return a.site + ": alarm on " + a.asset_id + " (" + std::string(core::ToString(a.kind)) + "): " + a.detail;
}

// Queues `event` for every subscription that wants it.
std::uint64_t Fan(store::NotifyStore& store, const std::vector<core::Subscription>& subs, const core::Event& event,
                  core::UnixMillis now) {
  std::uint64_t queued = 0;
  for (const auto& sub : subs) {
    if (core::Wants(sub, event) && store.Enqueue(sub, event, now)) ++queued;
  }
  return queued;
}

}  // namespace

Notifier::Notifier(const std::string& db_path, SmtpRelay relay, ClockFn clock)
    : db_(db_path), relay_(std::move(relay)), clock_(clock) {
  InitialiseSending();
  thread_ = std::thread([this] { Run(); });
}

Notifier::~Notifier() { Stop(); }

void Notifier::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Notifier::Run() {
  pthread_setname_np(pthread_self(), "fp-notify");
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) return;
    }
    try {
      RunOnce();
    } catch (const store::StoreError& e) {
      spdlog::error("notify: {}; retrying", e.what());
    }
  }
}

void Notifier::RunOnce() {
  const core::UnixMillis now = clock_();
  QueueNewEvents(now);
  QueueDigests(now);
  SendDue(now);
}

void Notifier::QueueNewEvents(core::UnixMillis now) {
  store::InTransaction(db_, [&] {
    store::NotifyStore store(db_);
    const auto subs = store.Subscriptions();
    std::uint64_t queued = 0;
    auto alarms = store.AlarmsAfter(store.Cursor("alarms"), kSourceBatch);
    for (const auto& a : alarms) {
      core::Event e{core::EventKind::kAlarmRaised, "alarm-" + std::to_string(a.id), a.site, a.customer,
                    AlarmTitle(a.row), ""};
      e.body = codec::EncodeEventBody(e, a.row.asset_id, a.row.raised_at, codec::EncodeAlarm(a.row));
      queued += Fan(store, subs, e, now);
    }
    if (!alarms.empty()) store.SetCursor("alarms", alarms.back().id);
    auto orders = store.WorkOrdersAfter(store.Cursor("work_orders"), kSourceBatch);
    for (const auto& w : orders) {
      core::Event e{core::EventKind::kWorkOrderOpened, "work-order-" + std::to_string(w.id), w.site, w.customer,
                    w.site + ": work order " + w.row.id + " for " + w.row.asset_id + " (" + w.row.defect_code + ", " +
                        w.row.severity + ")",
                    ""};
      e.body = codec::EncodeEventBody(e, w.row.asset_id, w.row.created_at, codec::EncodeWorkOrder(w.row));
      queued += Fan(store, subs, e, now);
    }
    if (!orders.empty()) store.SetCursor("work_orders", orders.back().id);
    auto reviews = store.ReviewsAfter(store.Cursor("inspections"), kSourceBatch);
    for (const auto& r : reviews) {
      const std::string asset = r.row.asset_id.value_or("");
      core::Event e{core::EventKind::kReviewWaiting, "review-" + std::to_string(r.id), r.site, r.customer,
                    r.site + ": inspection " + std::to_string(r.id) + " of " + asset + " by " + r.row.technician_id +
                        " awaits review",
                    ""};
      e.body = codec::EncodeEventBody(e, asset, r.row.ended_at, codec::EncodeInspectionSummary(r.row));
      queued += Fan(store, subs, e, now);
    }
    if (!reviews.empty()) store.SetCursor("inspections", reviews.back().id);
    metrics_.queued += queued;
  });
}

// Each digest subscription's day: sent once, from its hour (UTC) on.
void Notifier::QueueDigests(core::UnixMillis now) {
  store::NotifyStore store(db_);
  const std::string day = core::FormatRfc3339(now).substr(0, 10);
  const int hour = static_cast<int>((now % core::kDay) / core::kHour);
  for (const auto& sub : store.Subscriptions()) {
    const bool wanted = std::find(sub.events.begin(), sub.events.end(), core::EventKind::kDueDigest) != sub.events.end();
    const std::string key = "digest-" + std::to_string(sub.id) + "-" + day;
    if (!wanted || hour < sub.digest_hour_utc || store.Queued(sub.id, key)) continue;
    std::vector<core::CoverageReport> reports;
    core::CoverageCounts total;
    for (const auto& site : sub.site.empty() ? store.SitesOf(sub.customer) : std::vector<std::string>{sub.site}) {
      reports.push_back(core::BuildCoverageReport(store::LoadCoverageInputs(db_, {site, now, 30, 1, 30, sub.customer})));
      total.due_soon += reports.back().total.due_soon;
      total.overdue += reports.back().total.overdue;
      total.never_inspected += reports.back().total.never_inspected;
    }
    core::Event e{core::EventKind::kDueDigest, key, sub.site, sub.customer,
                  "fieldproof " + day + ": " + std::to_string(total.overdue) + " overdue, " +
                      std::to_string(total.due_soon) + " due soon, " + std::to_string(total.never_inspected) +
                      " never inspected",
                  ""};
    e.body = codec::EncodeEventBody(e, "", now, codec::EncodeDigestData(reports, kDigestOverdue));
    store::InTransaction(db_, [&] { metrics_.queued += store.Enqueue(sub, e, now) ? 1 : 0; });
  }
}

void Notifier::SendDue(core::UnixMillis now) {
  store::NotifyStore store(db_);
  for (const auto& d : store.Due(now, kSendBatch)) {
    const SendResult sent = d.subscription.channel == core::Channel::kEmail
                                ? SendEmail(relay_, d.subscription, d.event, now)
                                : SendWebhook(d.subscription, d.event, d.id, now);
    if (sent.ok) {
      store.Delivered(d.id, clock_());
      ++metrics_.delivered;
      continue;
    }
    const auto next = core::NextAttempt(d.attempts + 1, clock_());
    store.Failed(d.id, sent.error, next);
    ++metrics_.failed_attempts;
    if (!next) ++metrics_.given_up;
    spdlog::warn("notify: delivery {} of {} to subscription {} ({}) failed: {}; {}", d.id, d.event.key,
                 d.subscription.id, d.subscription.name, sent.error,
                 next ? "trying again at " + core::FormatRfc3339(*next) : std::string("given up"));
  }
}

}  // namespace fieldproof::notify
