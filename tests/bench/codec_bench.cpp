// Decoding an inbound message on one core, each figure beside what bounds it:
//   reading every byte once  <  simdjson's parse alone  <  the full decode of a tap or a
//   telemetry message (parse, duplicate keys, every field's rule, the topic's checks).
// And, for comparison, nlohmann's DOM alone: the decoder's parser until 2026-11-24.
// The payloads are shaped as the simulator's, as the gateway receives them.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <algorithm>
#include <string>

#include "gateway/codec/inbound.hpp"
#include "gateway/codec/message_codec.hpp"
#include "gateway/core/messages.hpp"
#include "gateway/core/topic.hpp"

namespace fp = fieldproof;

namespace {

const fp::core::UnixMillis kT0 = *fp::core::ParseRfc3339("2026-11-23T08:26:05.031Z");

// A sensor's report during a functional test: the simulator's largest telemetry message.
fp::core::Telemetry ClosedReport() {
  fp::core::Telemetry t;
  t.msg_id = "tm-1207";
  t.asset_id = "FRA-T1-L2-FS-00417";
  t.site = "FRA";
  t.device_time = kT0;
  t.firmware = "fs-sensor-1.3.0";
  t.readings = {fp::core::StateReading{fp::core::ShutterState::kClosed},
                fp::core::ClosingDurationReading{9412}, fp::core::MotorCurrentReading{1187}};
  return t;
}

// An end tap with a SUN URL and the simulator's eight checklist items.
fp::core::Tap EndTap() {
  fp::core::Tap tap;
  tap.msg_id = "HH-0042:000124";
  tap.device_id = "HH-0042";
  tap.technician_id = "T-0007";
  tap.site = "FRA";
  tap.tag = {fp::core::TagRead::Type::kSun,
             "https://tag.fieldproof.example/t?picc_data=E287EE006030EFE22DFB9A7A289E24B4"
             "&enc=897A9AB7A68EC3F58FC12C36E760FDBE&cmac=5157B8A6779A4B89"};
  tap.read_at = kT0;
  tap.sent_at = kT0 + 357;
  tap.kind = fp::core::TapKind::kEnd;
  tap.firmware = "hh-2.4.1";
  for (const char* item : {"labels_legible", "no_damage", "guides_and_seals", "closing_device",
                           "full_closure", "release_device", "hold_open_device", "signage"}) {
    tap.checklist[item] = fp::core::ChecklistAnswer::kPass;
  }
  tap.result = fp::core::InspectionResult::kPass;
  return tap;
}

struct Message {
  std::string topic;
  std::string payload;
};

Message Telemetry() {
  const auto t = ClosedReport();
  return {fp::core::TelemetryTopic(t.site, t.asset_id), fp::codec::EncodeTelemetry(t)};
}

Message Tap() {
  const auto tap = EndTap();
  return {fp::core::TapTopic(tap.site, tap.device_id), fp::codec::EncodeTap(tap)};
}

void Label(benchmark::State& state, const Message& m, const char* what) {
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(m.payload.size()));
  state.SetLabel(std::string(what) + ", " + std::to_string(m.payload.size()) + " bytes");
}

// The floor: each byte looked at once (a count of the quotes).
void BM_ScanBytes(benchmark::State& state, Message m) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(std::count(m.payload.begin(), m.payload.end(), '"'));
  }
  Label(state, m, "byte scan");
}
BENCHMARK_CAPTURE(BM_ScanBytes, telemetry, Telemetry());
BENCHMARK_CAPTURE(BM_ScanBytes, tap, Tap());

// The parser's share, no checks, with one parser reused. The decoder makes a parser per call
// (json_reader.hpp says why), so its figure below includes that parser's set-up.
void BM_SimdjsonParse(benchmark::State& state, Message m) {
  simdjson::dom::parser parser;
  for (auto _ : state) benchmark::DoNotOptimize(parser.parse(m.payload).error());
  Label(state, m, "simdjson parse");
}
BENCHMARK_CAPTURE(BM_SimdjsonParse, telemetry, Telemetry());
BENCHMARK_CAPTURE(BM_SimdjsonParse, tap, Tap());

void BM_NlohmannDom(benchmark::State& state, Message m) {
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann::json::parse(m.payload));
  Label(state, m, "nlohmann DOM, for comparison");
}
BENCHMARK_CAPTURE(BM_NlohmannDom, telemetry, Telemetry());
BENCHMARK_CAPTURE(BM_NlohmannDom, tap, Tap());

// What the intake thread does per message, before the writer queue.
void BM_DecodeInbound(benchmark::State& state, Message m) {
  for (auto _ : state) {
    auto decoded = fp::codec::DecodeInbound(m.topic, m.payload, 64 * 1024);
    if (!decoded.ok()) state.SkipWithError(decoded.error().detail.c_str());
    benchmark::DoNotOptimize(decoded);
  }
  Label(state, m, "full decode");
}
BENCHMARK_CAPTURE(BM_DecodeInbound, telemetry, Telemetry());
BENCHMARK_CAPTURE(BM_DecodeInbound, tap, Tap());

}  // namespace

BENCHMARK_MAIN();
