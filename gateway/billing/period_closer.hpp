#pragma once
// The gateway's scheduled period close: on a thread and a SQLite connection of its own,
// it checks every `check_every` whether a month is due (core::PeriodDueForClose) and
// closes it for every contract. Closing is idempotent, so a restart, a second gateway or
// an operator's `fieldproof invoice close` in between cannot bill anything twice.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "gateway/core/timestamp.hpp"

namespace fieldproof::billing {

class PeriodCloser {
 public:
  using ClockFn = std::function<core::UnixMillis()>;

  PeriodCloser(std::string db_path, int close_day, std::chrono::milliseconds check_every,
               ClockFn clock);
  ~PeriodCloser();  // Stop().
  void Stop();

 private:
  void Run();
  void CheckOnce();

  std::string db_path_;
  int close_day_;
  std::chrono::milliseconds check_every_;
  ClockFn clock_;
  std::string last_message_;  // Repeated outcomes are logged once.
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fieldproof::billing
