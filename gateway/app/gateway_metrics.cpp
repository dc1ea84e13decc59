#include "gateway/app/gateway_metrics.hpp"

#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <string>

namespace fieldproof::app {
namespace {

using codec::CountSample;
using codec::PrometheusMetric;
using codec::PrometheusSample;

PrometheusMetric Single(std::string name, std::string type, std::string help, std::uint64_t value) {
  return {std::move(name), std::move(type), std::move(help), {CountSample(value)}};
}

PrometheusMetric Counter(std::string name, std::string help, std::uint64_t value) {
  return Single(std::move(name), "counter", std::move(help), value);
}

PrometheusMetric Gauge(std::string name, std::string help, std::uint64_t value) {
  return Single(std::move(name), "gauge", std::move(help), value);
}

PrometheusMetric RejectedByReason(const ingest::IngestMetrics& m) {
  PrometheusMetric metric{"fieldproof_messages_rejected_total", "counter",
                          "Messages rejected, by reason (fieldproof rejected).", {}};
  for (std::size_t i = 0; i < core::kRejectReasonCount; ++i) {
    metric.samples.push_back(CountSample(
        m.rejected_by_reason[i], {{"reason", std::string(core::ReasonCode(static_cast<core::RejectReason>(i)))}}));
  }
  return metric;
}

PrometheusMetric CommitHistogram(const ingest::IngestMetrics& m) {
  PrometheusMetric metric{"fieldproof_commit_seconds", "histogram", "SQLite transaction commit time.", {}};
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < m.commit_buckets.size(); ++i) {
    cumulative += m.commit_buckets[i];
    const std::string le = i < ingest::IngestMetrics::kCommitBucketMicros.size()
                               ? fmt::format("{:g}", ingest::IngestMetrics::kCommitBucketMicros[i] / 1e6)
                               : "+Inf";
    metric.samples.push_back({"_bucket", {{"le", le}}, std::to_string(cumulative)});
  }
  metric.samples.push_back({"_sum", {}, fmt::format("{:g}", m.commit_micros_total / 1e6)});
  metric.samples.push_back({"_count", {}, std::to_string(m.batches.load())});
  return metric;
}

PrometheusMetric Verdicts(const verify::VerificationWorker& verifier) {
  PrometheusMetric metric{"fieldproof_verdicts_total", "counter", "Inspections assessed, by verdict.", {}};
  const char* names[] = {"verified", "verified_with_defects", "needs_review", "rejected"};
  for (int i = 0; i < 4; ++i) metric.samples.push_back(CountSample(verifier.metrics().verdicts[i], {{"verdict", names[i]}}));
  return metric;
}

}  // namespace

std::vector<PrometheusMetric> GatewayMetrics(const ingest::IngestPipeline& pipeline,
                                             const verify::VerificationWorker* verifier,
                                             const verify::AlarmWorker* alarms,
                                             const notify::Notifier* notifier,
                                             const mqtt_adapter::MqttSource& mqtt,
                                             const http::HttpServer* http) {
  const auto& m = pipeline.metrics();
  std::vector<PrometheusMetric> out = {
      Counter("fieldproof_messages_received_total", "Messages delivered by the broker.", m.received),
      {"fieldproof_messages_stored_total", "counter", "Messages committed to SQLite, by kind.",
       {CountSample(m.stored_taps, {{"kind", "tap"}}), CountSample(m.stored_telemetry, {{"kind", "telemetry"}})}},
      Counter("fieldproof_messages_duplicate_total", "Redeliveries and resends not stored again.", m.duplicates),
      RejectedByReason(m),
      Gauge("fieldproof_queue_depth", "Messages received and not yet committed.", pipeline.queue_depth()),
      Counter("fieldproof_commit_batches_total", "SQLite transactions committed.", m.batches),
      CommitHistogram(m),
      Counter("fieldproof_store_errors_total", "Failed transactions (retried).", m.store_errors),
      Counter("fieldproof_journal_errors_total", "Failed intake journal writes (retried).", m.journal_errors),
      Counter("fieldproof_journal_replayed_total",
              "Messages replayed from the intake journal at start (received before a crash, not stored).",
              m.replayed),
      Gauge("fieldproof_intake_in_flight", "Messages received and not yet committed.",
            static_cast<std::uint64_t>(std::max<std::int64_t>(0, m.in_flight))),
      Gauge("fieldproof_intake_paused", "1 while the store or the journal fails and intake waits.",
            pipeline.IntakeProblem().empty() ? 0 : 1),
      Counter("fieldproof_mqtt_unprotected_deliveries_total",
              "Messages the broker delivered with QoS 0 (not kept by the broker; see upgrade_outgoing_qos).",
              mqtt.unprotected_deliveries()),
      Counter("fieldproof_broker_dropped_messages_total",
              "Messages the broker reports it dropped since the gateway started, for any client "
              "($SYS/broker/publish/messages/dropped): a full session queue loses readings.",
              mqtt.broker_dropped_messages()),
      Counter("fieldproof_mqtt_session_takeovers_total",
              "Times the broker closed the gateway's intake connection while it kept the notices "
              "connection: most likely another client connected with its client id (docs/security.md).",
              mqtt.session_takeovers()),
      Counter("fieldproof_mqtt_sessions_lost_total",
              "Connects that found no broker session where one should have been: what the broker "
              "had queued for the gateway is lost.",
              mqtt.sessions_lost()),
  };
  if (http) {
    out.push_back(Gauge("fieldproof_http_busy_workers", "HTTP API workers answering a request now.",
                        static_cast<std::uint64_t>(http->busy_workers())));
    out.push_back(Gauge("fieldproof_http_waiting_requests", "API requests waiting for a worker.",
                        http->waiting_requests()));
  }
  if (verifier) out.push_back(Verdicts(*verifier));
  if (alarms) {
    const auto& a = alarms->metrics();
    out.push_back(Counter("fieldproof_alarm_readings_total", "Telemetry messages the alarm rules have read.", a.readings));
    out.push_back(Counter("fieldproof_alarms_raised_total", "Alarms raised from telemetry.", a.raised));
    out.push_back(Counter("fieldproof_alarms_cleared_total", "Alarms cleared by a later reading.", a.cleared));
    out.push_back(Counter("fieldproof_alarm_errors_total", "Failed alarm transactions (retried).", a.errors));
    out.push_back({"fieldproof_alarm_seconds_total", "counter", "Time the alarm rules took, for their cost per reading.",
                   {{"", {}, fmt::format("{:g}", a.busy_micros / 1e6)}}});
  }
  if (notifier) {
    const auto& n = notifier->metrics();
    out.push_back(Counter("fieldproof_notifications_queued_total", "Deliveries queued: one per event and subscription.", n.queued));
    out.push_back(Counter("fieldproof_notifications_delivered_total", "Deliveries the receiver accepted.", n.delivered));
    out.push_back(Counter("fieldproof_notification_failures_total", "Delivery attempts that failed (retried with back-off).",
                          n.failed_attempts));
    out.push_back(Counter("fieldproof_notifications_given_up_total",
                          "Deliveries that failed every attempt (fieldproof notification log --status failed).", n.given_up));
  }
  return out;
}

}  // namespace fieldproof::app
