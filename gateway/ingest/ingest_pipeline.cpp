#include "gateway/ingest/ingest_pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <thread>

#include "gateway/codec/inbound.hpp"
#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"

namespace fieldproof::ingest {

IngestPipeline::IngestPipeline(boost::asio::io_context& io, store::EventStore& store,
                               IngestConfig config, PublishFn publish_notice, ClockFn clock,
                               IntakeJournal* journal)
    : io_(io),
      config_(config),
      publish_notice_(std::move(publish_notice)),
      clock_(std::move(clock)),
      journal_(journal),
      admission_(config.max_in_flight),
      writer_(
          store, config.max_batch,
          [this](auto events, auto results, auto stats) {
            OnCommitted(std::move(events), std::move(results), stats);
          },
          [this](const store::StoreError& error, int attempt) {
            // Intake is stalled while this lasts: say so, but not a line per retry.
            ++metrics_.store_errors;
            if (attempt == 1 || attempt % 10 == 0) {
              spdlog::error("store: batch not written ({}); retry {}, intake paused", error.what(),
                            attempt);
            }
            SetProblem(store_problem_, fmt::format("store: {} (retry {})", error.what(), attempt));
          },
          config.commit_delay) {}

void IngestPipeline::Admit() {
  admission_.acquire();
  ++metrics_.in_flight;
}

void IngestPipeline::Deliver(std::string topic, std::string payload) {
  Admit();
  const core::UnixMillis received_at = clock_();
  const std::uint64_t journal_seq = journal_ ? Journal(topic, payload, received_at) : 0;
  Decode(std::move(topic), std::move(payload), received_at, journal_seq);
}

std::uint64_t IngestPipeline::Journal(std::string_view topic, std::string_view payload,
                                      core::UnixMillis received_at) {
  auto backoff = std::chrono::milliseconds(50);
  for (int attempt = 1;; ++attempt) {
    try {
      const std::uint64_t seq = journal_->Append(topic, payload, received_at);
      if (attempt > 1) {
        spdlog::info("journal: writable again after {} attempts; intake resumes", attempt);
        SetProblem(journal_problem_, "");
      }
      return seq;
    } catch (const JournalError& error) {
      // Not acknowledged yet: the broker keeps the message while we wait.
      ++metrics_.journal_errors;
      if (attempt == 1 || attempt % 10 == 0) {
        spdlog::error("journal: cannot write ({}); retry {}, intake paused", error.what(), attempt);
      }
      SetProblem(journal_problem_, fmt::format("journal: {} (retry {})", error.what(), attempt));
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
    }
  }
}

std::size_t IngestPipeline::ReplayJournal() {
  if (!journal_) return 0;
  std::vector<JournalRecord> records = journal_->TakeUncommitted();
  for (JournalRecord& record : records) {
    Admit();
    ++metrics_.replayed;
    Decode(std::move(record.topic), std::move(record.payload), record.received_at, record.seq);
  }
  return records.size();
}

void IngestPipeline::SetProblem(std::string& slot, std::string text) {
  std::lock_guard lock(problem_mutex_);
  slot = std::move(text);
}

std::string IngestPipeline::IntakeProblem() const {
  std::lock_guard lock(problem_mutex_);
  if (store_problem_.empty()) return journal_problem_;
  if (journal_problem_.empty()) return store_problem_;
  return store_problem_ + "; " + journal_problem_;
}

void IngestPipeline::Decode(std::string topic, std::string payload, core::UnixMillis received_at,
                            std::uint64_t journal_seq) {
  ++metrics_.received;
  store::PendingEvent event;
  auto decoded = codec::DecodeInbound(topic, payload, config_.max_payload_bytes);
  if (decoded.ok()) {
    std::visit(
        [&](auto&& message) {
          event.site = message.site;  // Equal to the topic's: DecodeInbound checked.
          event.decoded = std::move(message);
        },
        std::move(decoded).value());
  } else {
    // Only the rejection path reads the topic again, for the site it names (if any).
    auto parsed_topic = core::ParseTopic(topic);
    if (parsed_topic.ok()) event.site = parsed_topic.value().site;
    event.decoded = decoded.error();
  }
  event.topic = std::move(topic);
  event.payload = std::move(payload);
  event.received_at = received_at;
  event.journal_seq = journal_seq;
  writer_.Submit(std::move(event));
}

void IngestPipeline::OnCommitted(std::vector<store::PendingEvent> events,
                                 std::vector<store::EventResult> results, store::BatchStats stats) {
  if (stats.attempts > 1) SetProblem(store_problem_, "");
  if (journal_) {
    std::uint64_t committed = 0;
    for (const auto& event : events) committed = std::max(committed, event.journal_seq);
    if (committed > 0) journal_->Trim(committed);
  }
  metrics_.in_flight -= static_cast<std::int64_t>(events.size());
  admission_.release(static_cast<std::ptrdiff_t>(events.size()));
  ++metrics_.batches;
  const auto micros = static_cast<std::uint64_t>(stats.commit_time.count());
  metrics_.commit_micros_total += micros;
  for (auto seen = metrics_.commit_micros_max.load();
       micros > seen && !metrics_.commit_micros_max.compare_exchange_weak(seen, micros);) {
  }
  const auto& bounds = IngestMetrics::kCommitBucketMicros;
  ++metrics_.commit_buckets[static_cast<std::size_t>(
      std::lower_bound(bounds.begin(), bounds.end(), micros) - bounds.begin())];

  std::vector<std::pair<std::string, std::string>> notices;
  bool taps_stored = false;
  for (std::size_t i = 0; i < events.size(); ++i) {
    switch (results[i].outcome) {
      case store::EventOutcome::kStored: {
        const bool tap = std::holds_alternative<core::Tap>(events[i].decoded);
        taps_stored = taps_stored || tap;
        ++(tap ? metrics_.stored_taps : metrics_.stored_telemetry);
        break;
      }
      case store::EventOutcome::kDuplicate:
        ++metrics_.duplicates;
        break;
      case store::EventOutcome::kRejected: {
        const core::Rejection& rejection = *results[i].rejection;
        ++metrics_.rejected;
        ++metrics_.rejected_by_reason[static_cast<std::size_t>(rejection.reason)];
        const core::RejectionNotice notice{codec::PeekMsgId(events[i].payload), events[i].topic,
                                           rejection.reason, rejection.detail, clock_()};
        notices.emplace_back(core::NoticeTopic(events[i].topic),
                             codec::EncodeRejectionNotice(notice));
        break;
      }
    }
  }
  if (taps_stored && on_taps_stored_) on_taps_stored_();
  if (!notices.empty()) {
    boost::asio::post(io_, [this, notices = std::move(notices)] {
      for (const auto& [topic, payload] : notices) publish_notice_(topic, payload);
    });
  }
}

void IngestPipeline::Close() { writer_.Close(); }

}  // namespace fieldproof::ingest
