#pragma once
// The notifier (docs/notifications.md): once a second it turns what is new (alarms, work
// orders, inspections awaiting review; each subscription's daily digest) into events, queues
// one delivery per event for each subscription that wants it, and sends what is due. A failed
// delivery waits and is tried again (core::NextAttempt); the queue is in the database, so a
// restart loses nothing. It has its own SQLite connection: sending never holds intake's.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "gateway/core/notification.hpp"
#include "gateway/notify/sender.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::notify {

struct NotifierMetrics {
  std::atomic<std::uint64_t> queued{0};
  std::atomic<std::uint64_t> delivered{0};
  std::atomic<std::uint64_t> failed_attempts{0};
  std::atomic<std::uint64_t> given_up{0};
};

class Notifier {
 public:
  using ClockFn = core::UnixMillis (*)();

  Notifier(const std::string& db_path, SmtpRelay relay, ClockFn clock);
  ~Notifier();  // Stop().
  void Stop();
  const NotifierMetrics& metrics() const { return metrics_; }

 private:
  void Run();
  void RunOnce();  // Queue what is new, send what is due.
  void QueueNewEvents(core::UnixMillis now);
  void QueueDigests(core::UnixMillis now);
  void SendDue(core::UnixMillis now);

  store::Database db_;
  SmtpRelay relay_;
  ClockFn clock_;
  NotifierMetrics metrics_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fieldproof::notify
