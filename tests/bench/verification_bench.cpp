// Verification throughput on one core, each figure beside what bounds it:
//   raw AES-128 block rate  <  SUN verification (parse, 2 decrypts, 3 CMACs, key derivation)
//   <  the pure verdict  <  a full verdict from SQLite (evidence, freshness, pairing, records).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "firmware-sim/scenario.hpp"
#include "firmware-sim/site_generator.hpp"
#include "gateway/codec/message_codec.hpp"
#include "gateway/crypto/aes.hpp"
#include "gateway/crypto/hex.hpp"
#include "gateway/crypto/key_diversification.hpp"
#include "gateway/crypto/sun_message.hpp"
#include "gateway/crypto/tag_emulator.hpp"
#include "gateway/core/topic.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/registry_store.hpp"
#include "gateway/verify/tap_verifier.hpp"

namespace fp = fieldproof;

namespace {

const fp::crypto::Key128 kMaster = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

void BM_Aes128Block(benchmark::State& state) {
  fp::crypto::Aes128 aes(fp::crypto::AesMode::kEcb, fp::crypto::AesDirection::kEncrypt, kMaster);
  fp::crypto::Block128 block{};
  for (auto _ : state) {
    block = aes.ApplyBlock(block);
    benchmark::DoNotOptimize(block);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("AES-128 blocks");
}
BENCHMARK(BM_Aes128Block);

void BM_SunVerify(benchmark::State& state) {
  std::vector<std::string> urls;
  std::mt19937_64 rng(1);
  const auto meta = fp::crypto::SiteMetaReadKey(kMaster, "FRA");
  for (int i = 0; i < 256; ++i) {
    fp::crypto::TagEmulator::Config config;
    config.base_url = "https://tag.fieldproof.example/t";
    for (auto& b : config.uid) b = static_cast<std::uint8_t>(rng());
    config.uid[0] = 0x04;
    config.meta_read_key = meta;
    config.file_read_key = fp::crypto::TagFileReadKey(kMaster, config.uid);
    fp::crypto::TagEmulator tag(config);
    urls.push_back(*tag.Read(rng));
  }
  std::size_t i = 0;
  for (auto _ : state) {
    std::string error;
    const auto parts = fp::crypto::ParseSunUrl(urls[i++ % urls.size()], &error);
    const auto result = fp::crypto::VerifySun(*parts, meta, [](std::span<const std::uint8_t, 7> uid) {
      return std::optional(fp::crypto::TagFileReadKey(kMaster, uid));
    });
    if (!result.valid) state.SkipWithError("a generated SUN URL did not verify");
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("SUN verifications incl. per-tag key derivation");
}
BENCHMARK(BM_SunVerify);

void BM_AssessInspection(benchmark::State& state) {
  fp::core::InspectionFacts f;
  f.site = "FRA";
  f.device_id = "HH-1";
  f.technician_id = "T-1";
  f.asset = {"A-1", "FRA", "T1", 0, "", 0, 0, "fire_shutter", "04A1B2C3D4E5F6", 365, "O", true};
  f.start = {"m1", 0, false, true, "", "04A1B2C3D4E5F6", {fp::core::Freshness::kFresh, ""}};
  f.end = {"m2", 300000, false, true, "", "04A1B2C3D4E5F6", {fp::core::Freshness::kFresh, ""}};
  f.end_tag_uid = "04A1B2C3D4E5F6";
  for (const auto& item : fp::sim::ChecklistItems()) f.checklist[item] = fp::core::ChecklistAnswer::kPass;
  f.result = fp::core::InspectionResult::kPass;
  f.technician = fp::core::Technician{"T-1", "A", "C", {"fire_shutter"}, {"FRA"}};
  f.device_company = "C";
  f.telemetry = {{60000, fp::core::StateReading{fp::core::ShutterState::kClosing}},
                 {69000, fp::core::ClosingDurationReading{9000}}};
  f.previous = fp::core::OtherVisit{1, f.asset, "HH-1", -420000, -120000};
  const fp::core::AssetTypePolicy policy{"fire_shutter", 180000, fp::sim::ChecklistItems(), 3000, 30000, {}};
  for (auto _ : state) {
    auto a = fp::core::AssessInspection(f, policy, fp::core::SitePolicy{});
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("pure verdicts (14 checks)");
}
BENCHMARK(BM_AssessInspection);

// Full verdicts: taps stored by the real EventStore, assessed by the real TapVerifier on a
// real SQLite file (tag crypto, freshness, pairing, evidence, maintenance records).
void BM_TapVerifierFullVerdicts(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / "fieldproof-bench-verify.db";
  fp::sim::SiteSpec spec;
  spec.assets = 3000;
  spec.technicians = 20;
  const fp::sim::Site site = fp::sim::GenerateSite(spec);
  fp::sim::ScenarioSpec scenario_spec;
  scenario_spec.master_key = kMaster;
  scenario_spec.start = *fp::core::ParseRfc3339("2026-11-02T06:00:00Z");
  fp::verify::VerifierConfig config;
  config.master_key = kMaster;
  config.correct_device_clocks = false;
  config.asset_types = {{"fire_shutter", 180000, fp::sim::ChecklistItems(), 3000, 30000, {}},
                        {"fire_door", 120000, {}, 2000, 20000, {}}};
  std::int64_t taps = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove(path);
    auto db = std::make_unique<fp::store::Database>(path.string());
    fp::store::Migrate(*db);
    fp::store::RegistryStore registry(*db);
    std::vector<fp::codec::RegistryFile<fp::core::Asset>::Row> assets;
    for (const auto& a : site.assets) assets.push_back({0, a});
    registry.ImportAssets(assets, 0);
    fp::store::EventStore events(*db);
    fp::sim::Scenario scenario(site, scenario_spec);
    std::vector<fp::store::PendingEvent> batch;
    while (batch.size() < 20000) {
      const auto m = scenario.Next();
      fp::store::PendingEvent e{m.topic, "FRA", m.payload, m.at, {}};
      if (m.kind == fp::sim::Outbound::Kind::kTap) {
        e.decoded = fp::codec::DecodeTap(m.payload).value();
      } else {
        e.decoded = fp::codec::DecodeTelemetry(m.payload).value();
      }
      batch.push_back(std::move(e));
    }
    events.WriteBatch(batch);
    fp::verify::TapVerifier verifier(*db, config);
    state.ResumeTiming();
    for (;;) {
      const auto report = verifier.AssessPending(500, 0);
      taps += static_cast<std::int64_t>(report.taps);
      if (report.taps < 500) break;
    }
  }
  std::filesystem::remove(path);
  state.SetItemsProcessed(taps);
  state.SetLabel("taps assessed end to end on SQLite (about half close an inspection)");
}
BENCHMARK(BM_TapVerifierFullVerdicts)->Unit(benchmark::kMillisecond)->Iterations(2);

// One technician inspecting one tagged asset again and again with one handheld, after
// `history` earlier inspections of it: the cost of a verdict must not grow with the tag's,
// the technician's or the handheld's history (freshness, pairing, clock, travel, overlap).
class HistoryFixture {
 public:
  explicit HistoryFixture(const std::filesystem::path& path) : path_(path) {
    std::filesystem::remove(path_);
    db_ = std::make_unique<fp::store::Database>(path_.string());
    fp::store::Migrate(*db_);
    fp::store::RegistryStore registry(*db_);
    asset_ = {"A-1", "FRA", "T1", 0, "Gate A", 10, 20, "fire_shutter", "04A1B2C3D4E5F6", 365, "OWN", false};
    registry.ImportAssets(std::vector<fp::codec::RegistryFile<fp::core::Asset>::Row>{{2, asset_}}, 0);
    registry.ImportTechnicians(std::vector<fp::codec::RegistryFile<fp::core::Technician>::Row>{
                                   {2, {"T-1", "Anna", "ACME", {"fire_shutter"}, {"FRA"}}}},
                               0);
    registry.ImportDevices(std::vector<fp::codec::RegistryFile<fp::core::Device>::Row>{{2, {"HH-1", "FRA", "ACME"}}}, 0);
    fp::crypto::TagEmulator::Config tag;
    tag.base_url = "https://tag.fieldproof.example/t";
    fp::crypto::HexDecodeInto(asset_.tag_uid, tag.uid);
    tag.meta_read_key = fp::crypto::SiteMetaReadKey(kMaster, "FRA");
    tag.file_read_key = fp::crypto::TagFileReadKey(kMaster, tag.uid);
    tag_ = std::make_unique<fp::crypto::TagEmulator>(tag);
    config_.master_key = kMaster;
    config_.asset_types = {{"fire_shutter", 180000, {}, 3000, 30000, {}}};
  }
  ~HistoryFixture() {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  // Stores `n` more inspections, 10 minutes apart, each delivered 400 ms after it was sent.
  void Store(int n) {
    fp::store::EventStore events(*db_);
    std::vector<fp::store::PendingEvent> batch;
    for (int i = 0; i < n; ++i, at_ += 600'000) {
      for (const auto kind : {fp::core::TapKind::kStart, fp::core::TapKind::kEnd}) {
        fp::core::Tap tap;
        tap.msg_id = "m-" + std::to_string(++msgs_);
        tap.device_id = "HH-1";
        tap.technician_id = "T-1";
        tap.site = "FRA";
        tap.tag = {fp::core::TagRead::Type::kSun, *tag_->Read(rng_)};
        tap.read_at = kind == fp::core::TapKind::kStart ? at_ : at_ + 240'000;
        tap.sent_at = tap.read_at + 250;
        tap.kind = kind;
        tap.firmware = "hh-1";
        if (kind == fp::core::TapKind::kEnd) tap.result = fp::core::InspectionResult::kPass;
        batch.push_back({fp::core::TapTopic("FRA", "HH-1"), "FRA", fp::codec::EncodeTap(tap),
                         tap.sent_at + 400, tap});
      }
    }
    events.WriteBatch(batch);
  }

  std::size_t AssessAll() {
    fp::verify::TapVerifier verifier(*db_, config_);
    std::size_t taps = 0;
    for (;;) {
      const auto report = verifier.AssessPending(500, at_);
      taps += report.taps;
      if (report.taps < 500) return taps;
    }
  }

 private:
  std::filesystem::path path_;
  std::unique_ptr<fp::store::Database> db_;
  fp::core::Asset asset_;
  std::unique_ptr<fp::crypto::TagEmulator> tag_;
  std::mt19937_64 rng_{5};
  fp::verify::VerifierConfig config_;
  fp::core::UnixMillis at_ = *fp::core::ParseRfc3339("2026-01-05T06:00:00Z");
  std::int64_t msgs_ = 0;
};

void BM_VerdictsAfterHistory(benchmark::State& state) {
  const auto path = std::filesystem::temp_directory_path() / "fieldproof-bench-history.db";
  std::int64_t taps = 0;
  for (auto _ : state) {
    state.PauseTiming();
    HistoryFixture fixture(path);
    fixture.Store(static_cast<int>(state.range(0)));
    fixture.AssessAll();
    fixture.Store(500);
    state.ResumeTiming();
    taps += static_cast<std::int64_t>(fixture.AssessAll());
  }
  state.SetItemsProcessed(taps);
  state.SetLabel("taps of one tag, technician and handheld, after range(0) inspections of them");
}
BENCHMARK(BM_VerdictsAfterHistory)->Arg(0)->Arg(2000)->Arg(20000)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
