#pragma once
// Threads: Deliver() runs on the MQTT client's thread and admits, journals and decodes
// (so events reach the writer in journal order, with no hand-over to another thread per
// message); SQLite runs on the BatchWriter's thread; notices are handed to the Asio
// executor for publishing.
#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <semaphore>
#include <string>

#include "gateway/core/rejection.hpp"
#include "gateway/core/timestamp.hpp"
#include "gateway/ingest/intake_journal.hpp"
#include "gateway/store/batch_writer.hpp"
#include "gateway/store/event_store.hpp"

namespace fieldproof::ingest {

struct IngestConfig {
  std::size_t max_payload_bytes = 16 * 1024;
  // Messages received but not yet committed. When reached, Deliver() blocks, the MQTT
  // client stops reading its socket and the broker holds the backlog: intake slows,
  // nothing is dropped.
  std::ptrdiff_t max_in_flight = 10000;
  std::size_t max_batch = 1000;
  // How long a transaction waits for more messages after its first (see BatchWriter).
  std::chrono::milliseconds commit_delay{5};
};

struct IngestMetrics {
  std::atomic<std::uint64_t> received{0};
  std::atomic<std::uint64_t> stored_taps{0};
  std::atomic<std::uint64_t> stored_telemetry{0};
  std::atomic<std::uint64_t> duplicates{0};
  std::atomic<std::uint64_t> rejected{0};
  std::atomic<std::uint64_t> batches{0};
  std::atomic<std::uint64_t> commit_micros_total{0};
  std::atomic<std::uint64_t> commit_micros_max{0};
  std::atomic<std::uint64_t> store_errors{0};
  std::atomic<std::uint64_t> journal_errors{0};
  std::atomic<std::uint64_t> replayed{0};  // From the journal, at start.
  std::atomic<std::int64_t> in_flight{0};  // Received, not yet committed.
  // By core::RejectReason, for /metrics.
  std::array<std::atomic<std::uint64_t>, core::kRejectReasonCount> rejected_by_reason{};
  // Commit latency histogram: counts of commits at or under each bound (cumulative is
  // computed when exported); the last bucket is everything slower.
  static constexpr std::array<std::uint64_t, 10> kCommitBucketMicros = {
      1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000, 250'000, 500'000, 1'000'000};
  std::array<std::atomic<std::uint64_t>, kCommitBucketMicros.size() + 1> commit_buckets{};
};

class IngestPipeline {
 public:
  using PublishFn = std::function<void(std::string topic, std::string payload)>;
  using ClockFn = std::function<core::UnixMillis()>;

  // Without a journal (nullptr), a message is only safe once committed.
  IngestPipeline(boost::asio::io_context& io, store::EventStore& store, IngestConfig config,
                 PublishFn publish_notice, ClockFn clock, IntakeJournal* journal = nullptr);

  // Any thread. When it returns the message is in the journal: it survives the gateway
  // process dying. Blocks while max_in_flight messages are uncommitted, and while the
  // journal cannot be written (disk full): intake pauses, nothing is dropped.
  void Deliver(std::string topic, std::string payload);

  // Before the source starts, with the Asio thread running: hands on what the journal
  // holds that the store does not (a crash came between them). Returns how many.
  std::size_t ReplayJournal();

  // Why intake is paused (store or journal failing), or empty while it flows.
  std::string IntakeProblem() const;

  // After the source has stopped delivering: writes everything admitted, then stops the
  // writer.
  void Close();

  // Called on the writer thread after a commit that stored taps (wakes the verifier).
  void SetOnTapsStored(std::function<void()> callback) { on_taps_stored_ = std::move(callback); }

  const IngestMetrics& metrics() const { return metrics_; }
  std::size_t queue_depth() const { return writer_.Depth(); }

 private:
  void Admit();
  std::uint64_t Journal(std::string_view topic, std::string_view payload, core::UnixMillis received_at);
  void Decode(std::string topic, std::string payload, core::UnixMillis received_at,
              std::uint64_t journal_seq);
  void SetProblem(std::string& slot, std::string text);
  void OnCommitted(std::vector<store::PendingEvent> events,
                   std::vector<store::EventResult> results, store::BatchStats stats);

  boost::asio::io_context& io_;
  IngestConfig config_;
  PublishFn publish_notice_;
  ClockFn clock_;
  IngestMetrics metrics_;
  std::function<void()> on_taps_stored_;
  IntakeJournal* journal_;
  mutable std::mutex problem_mutex_;
  std::string store_problem_;
  std::string journal_problem_;
  std::counting_semaphore<> admission_;
  store::BatchWriter writer_;
};

}  // namespace fieldproof::ingest
