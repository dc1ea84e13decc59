#include "gateway/ingest/ingest_pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <future>

#include "gateway/codec/inbound.hpp"
#include "gateway/codec/message_codec.hpp"
#include "gateway/core/topic.hpp"

namespace fieldproof::ingest {

IngestPipeline::IngestPipeline(boost::asio::io_context& io, store::EventStore& store,
                               IngestConfig config, PublishFn publish_notice, ClockFn clock)
    : io_(io),
      config_(config),
      publish_notice_(std::move(publish_notice)),
      clock_(std::move(clock)),
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
          }) {}

void IngestPipeline::Deliver(std::string topic, std::string payload) {
  admission_.acquire();
  const core::UnixMillis received_at = clock_();
  boost::asio::post(
      io_, [this, topic = std::move(topic), payload = std::move(payload), received_at]() mutable {
        Decode(std::move(topic), std::move(payload), received_at);
      });
}

void IngestPipeline::Decode(std::string topic, std::string payload, core::UnixMillis received_at) {
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
  writer_.Submit(std::move(event));
}

void IngestPipeline::OnCommitted(std::vector<store::PendingEvent> events,
                                 std::vector<store::EventResult> results, store::BatchStats stats) {
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

void IngestPipeline::Close() {
  // Decode tasks already posted must reach the writer before it closes; a marker
  // posted behind them tells when they have.
  std::promise<void> decoded_all;
  boost::asio::post(io_, [&] { decoded_all.set_value(); });
  decoded_all.get_future().wait();
  writer_.Close();
}

}  // namespace fieldproof::ingest
