#include "gateway/billing/period_closer.hpp"

#include <pthread.h>

#include <spdlog/spdlog.h>

#include "gateway/billing/invoice_ledger.hpp"
#include "gateway/core/invoice.hpp"

namespace fieldproof::billing {

PeriodCloser::PeriodCloser(std::string db_path, int close_day,
                           std::chrono::milliseconds check_every, ClockFn clock)
    : db_path_(std::move(db_path)),
      close_day_(close_day),
      check_every_(check_every),
      clock_(std::move(clock)) {
  thread_ = std::thread([this] { Run(); });
}

PeriodCloser::~PeriodCloser() { Stop(); }

void PeriodCloser::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PeriodCloser::Run() {
  pthread_setname_np(pthread_self(), "fp-billing");
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      CheckOnce();
    } catch (const std::exception& e) {
      // A locked or full database: the next check tries again; nothing was half-written.
      spdlog::error("billing: period close failed, will retry: {}", e.what());
    }
    lock.lock();
    wake_.wait_for(lock, check_every_, [this] { return stopping_; });
  }
}

void PeriodCloser::CheckOnce() {
  const core::UnixMillis now = clock_();
  const auto period = core::PeriodDueForClose(now, close_day_);
  if (!period) return;
  store::Database db(db_path_);
  InvoiceLedger ledger(db);
  const auto outcomes = ledger.ClosePeriod(*period, "", now);
  std::string message;
  if (!outcomes.ok()) {
    message = "billing: " + core::ToString(*period) + " not closed: " + outcomes.error().detail;
  } else {
    for (const CloseOutcome& o : outcomes.value()) {
      if (o.already_closed) continue;
      spdlog::info("billing: closed {} for {}: {}", core::ToString(*period), o.contract_id,
                   o.invoice_number.empty()
                       ? std::string("nothing to bill")
                       : o.invoice_number + ", " + std::to_string(o.records_billed) + " records, " +
                             core::FormatAmount(o.payable) + " " + o.currency);
      if (!o.unbillable.empty()) {
        spdlog::warn(
            "billing: {} verified records of {} have no price in contract {} "
            "(fieldproof invoice not-billable --period {})",
            o.unbillable.size(), core::ToString(*period), o.contract_id, core::ToString(*period));
      }
    }
    return;
  }
  if (message != last_message_) spdlog::warn("{}", message);
  last_message_ = message;
}

}  // namespace fieldproof::billing
