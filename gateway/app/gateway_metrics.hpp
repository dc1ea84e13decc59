#pragma once
// The gateway's counters for /metrics: what each component counts, named and described
// for Prometheus (docs/operations.md lists them). The text format is codec's.
#include <vector>

#include "gateway/codec/prometheus_text.hpp"
#include "gateway/http/http_server.hpp"
#include "gateway/ingest/ingest_pipeline.hpp"
#include "gateway/mqtt/mqtt_source.hpp"
#include "gateway/notify/notifier.hpp"
#include "gateway/verify/alarm_worker.hpp"
#include "gateway/verify/verification_worker.hpp"

namespace fieldproof::app {

// `verifier`, `alarms`, `notifier` and `http` may be null (that part off).
std::vector<codec::PrometheusMetric> GatewayMetrics(const ingest::IngestPipeline& pipeline,
                                                    const verify::VerificationWorker* verifier,
                                                    const verify::AlarmWorker* alarms,
                                                    const notify::Notifier* notifier,
                                                    const mqtt_adapter::MqttSource& mqtt,
                                                    const http::HttpServer* http);

}  // namespace fieldproof::app
