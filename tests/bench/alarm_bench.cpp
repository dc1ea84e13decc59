// What the alarm rules cost per telemetry message: the simulated airport's telemetry (30,000
// assets, a fifth with sensors, 2 % of them faulty) stored in a real SQLite file, then read
// by the AlarmAssessor as the gateway's alarm worker does (1,000 messages a batch),
// beside decoding the same payloads alone, which any reader of them pays.
//   ops/build.sh alarm_bench && build/tests/bench/alarm_bench
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "firmware-sim/scenario.hpp"
#include "firmware-sim/site_generator.hpp"
#include "gateway/codec/inbound.hpp"
#include "gateway/codec/message_codec.hpp"
#include "gateway/store/alarm_store.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/verify/alarm_assessor.hpp"
#include "tests/bench/bench_site.hpp"

namespace fp = fieldproof;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kTelemetry = 100'000;

struct Stored {
  fs::path dir;
  std::unique_ptr<fp::store::Database> db;
  std::vector<std::string> payloads;
};

Stored& SiteTelemetry() {
  static Stored s = [] {
    Stored stored;
    stored.dir = fs::temp_directory_path() / ("fieldproof-alarm-bench-" + std::to_string(::getpid()));
    fs::create_directories(stored.dir);
    const auto site = fp::sim::GenerateSite({42, "FRA", 30'000, 4, 5, 40, 0.2});
    stored.db = std::make_unique<fp::store::Database>((stored.dir / "alarms.db").string());
    fp::store::Migrate(*stored.db);
    fp::store::InTransaction(*stored.db, [&] { fp::bench::InsertAssets(*stored.db, site); });
    fp::sim::ScenarioSpec spec;
    spec.master_key = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    spec.start = *fp::core::ParseRfc3339("2026-11-02T06:00:00Z");
    spec.sensor_fault_ratio = 0.02;
    fp::sim::Scenario scenario(site, spec);
    fp::store::EventStore events(*stored.db);
    std::vector<fp::store::PendingEvent> batch;
    std::uint64_t seq = 0;
    while (stored.payloads.size() < kTelemetry) {
      fp::sim::Outbound out = scenario.Next();
      if (out.kind != fp::sim::Outbound::Kind::kTelemetry) continue;
      auto decoded = fp::codec::DecodeInbound(out.topic, out.payload, fp::codec::kDefaultMaxPayloadBytes);
      stored.payloads.push_back(out.payload);
      fp::store::PendingEvent e{std::move(out.topic), "FRA", std::move(out.payload), out.at, {}, ++seq};
      std::visit([&](auto&& message) { e.decoded = std::move(message); }, std::move(decoded).value());
      batch.push_back(std::move(e));
      if (batch.size() == 1000) {
        events.WriteBatch(batch);
        batch.clear();
      }
    }
    if (!batch.empty()) events.WriteBatch(batch);
    return stored;
  }();
  return s;
}

std::map<std::string, fp::core::AlarmPolicy> ShippedPolicies() {
  std::ifstream in(std::string(FIELDPROOF_SOURCE_DIR) + "/ops/asset-types.json");
  std::stringstream text;
  text << in.rdbuf();
  return fp::codec::DecodeAlarmPolicies(text.str()).value();
}

void BM_AlarmRules(benchmark::State& state) {
  auto& stored = SiteTelemetry();
  const auto policies = ShippedPolicies();
  std::optional<fp::verify::AlarmAssessor> assessor;
  std::int64_t raised = 0;
  for (auto _ : state) {
    state.PauseTiming();
    stored.db->Exec(
        "DELETE FROM alarms; DELETE FROM sensor_memory; DELETE FROM closing_days; "
        "DELETE FROM work_orders WHERE inspection_id = 0; "
        "UPDATE alarm_cursor SET telemetry_id = 0, memory_telemetry_id = 0");
    assessor.emplace(*stored.db, policies);
    state.ResumeTiming();
    raised = 0;
    for (;;) {
      const auto report = assessor->AssessPending(1000, 0);
      raised += report.raised;
      if (report.readings == 0) break;
    }
    assessor->SaveMemory();  // The worker does so every minute; here once per 100,000 messages.
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kTelemetry));
  state.counters["us_per_message"] = benchmark::Counter(
      static_cast<double>(kTelemetry * state.iterations()) / 1e6, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["alarms_raised"] = static_cast<double>(raised);
}
BENCHMARK(BM_AlarmRules)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_DecodeTelemetryAlone(benchmark::State& state) {
  const auto& payloads = SiteTelemetry().payloads;
  for (auto _ : state) {
    for (const auto& p : payloads) benchmark::DoNotOptimize(fp::codec::DecodeTelemetry(p));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * payloads.size()));
  state.counters["us_per_message"] = benchmark::Counter(
      static_cast<double>(payloads.size() * state.iterations()) / 1e6, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_DecodeTelemetryAlone)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
