// Batched event writes on one core: the gateway's EventStore::WriteBatch beside its bound,
// the same rows inserted by bare sqlite3 prepared statements into the same schema (same
// tables and indexes, from the same migrations), one transaction per batch, on a real file
// opened with the store's pragmas (WAL, synchronous=NORMAL). With that schema and those
// pragmas nothing stores these rows for less: the bound binds values already computed,
// without copying them, and asks SQLite for nothing but the inserts. What the store adds
// per message: ON CONFLICT DO NOTHING and the change count (idempotence), the registry
// lookup for telemetry, encoding checklist and defects, copied bindings; per batch, moving
// the intake journal's watermark.
//   ops/build.sh store_bench && build/tests/bench/store_bench
#include <sqlite3.h>
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "firmware-sim/scenario.hpp"
#include "firmware-sim/site_generator.hpp"
#include "gateway/codec/inbound.hpp"
#include "gateway/codec/message_codec.hpp"
#include "gateway/store/event_store.hpp"
#include "gateway/store/migrations.hpp"
#include "tests/bench/bench_site.hpp"

namespace fp = fieldproof;
namespace fs = std::filesystem;

namespace {

// Each message is written once per database, so every write is a first delivery; the
// database is recreated (outside the timing) when a run has used them all.
constexpr std::size_t kMessages = 60'000;

// The bound's values for a tap that the store computes while writing.
struct EncodedTap {
  std::string checklist;  // Empty: NULL (start taps).
  std::string defects;    // Empty: NULL.
};

struct Messages {
  fp::sim::Site site;
  std::vector<fp::store::PendingEvent> events;  // As the ingest pipeline hands them over.
  std::vector<EncodedTap> encoded;              // Per event; empty for telemetry.
  std::size_t taps = 0;
};

const fs::path& BenchDir() {
  static const fs::path dir = [] {
    const fs::path d =
        fs::temp_directory_path() / ("fieldproof-store-bench-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

// The ingest benchmark's site at work: the simulator's taps and telemetry, decoded by the
// gateway's own decoder, numbered like intake journal records.
const Messages& SiteAtWork() {
  static const Messages messages = [] {
    Messages m;
    m.site = fp::sim::GenerateSite({42, "FRA", 30'000, 4, 5, 40, 0.2});
    fp::sim::ScenarioSpec spec;
    spec.master_key = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    spec.start = *fp::core::ParseRfc3339("2026-11-02T06:00:00Z");
    fp::sim::Scenario scenario(m.site, spec);
    while (m.events.size() < kMessages) {
      fp::sim::Outbound out = scenario.Next();
      auto decoded =
          fp::codec::DecodeInbound(out.topic, out.payload, fp::codec::kDefaultMaxPayloadBytes);
      if (!decoded.ok())
        throw std::runtime_error("simulated message refused: " + decoded.error().detail);
      fp::store::PendingEvent e{std::move(out.topic), "", std::move(out.payload), out.at, {},
                                m.events.size() + 1};
      EncodedTap encoded;
      std::visit(
          [&](auto&& message) {
            using T = std::decay_t<decltype(message)>;
            e.site = message.site;
            if constexpr (std::is_same_v<T, fp::core::Tap>) {
              ++m.taps;
              if (message.result) encoded.checklist = fp::codec::EncodeChecklist(message.checklist);
              if (!message.defects.empty())
                encoded.defects = fp::codec::EncodeDefects(message.defects);
            }
            e.decoded = std::move(message);
          },
          std::move(decoded).value());
      m.events.push_back(std::move(e));
      m.encoded.push_back(std::move(encoded));
    }
    return m;
  }();
  return messages;
}

std::unique_ptr<fp::store::Database> FreshDatabase(const fs::path& path,
                                                   const fp::sim::Site& site) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  auto db = std::make_unique<fp::store::Database>(path.string());
  fp::store::Migrate(*db);
  fp::store::InTransaction(*db, [&] { fp::bench::InsertAssets(*db, site); });
  return db;
}

class StoreWriter {
 public:
  explicit StoreWriter(fp::store::Database& db) : store_(db) {}
  // Returns how many were not stored as new (none expected).
  std::size_t Write(const Messages& m, std::size_t first, std::size_t count) {
    std::size_t not_stored = 0;
    for (const auto& r : store_.WriteBatch(std::span(m.events).subspan(first, count)))
      not_stored += r.outcome != fp::store::EventOutcome::kStored;
    return not_stored;
  }

 private:
  fp::store::EventStore store_;
};

class RawInsertWriter {
 public:
  explicit RawInsertWriter(fp::store::Database& db)
      : db_(db.handle()),
        tap_(Prepare("INSERT INTO taps (site, device_id, msg_id, technician_id, kind, tag_type, "
                     "tag_value, read_at, sent_at, received_at, result, checklist, defects, "
                     "work_order_id, firmware, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")),
        telemetry_(Prepare("INSERT INTO telemetry (site, asset_id, msg_id, device_time, "
                           "received_at, payload) VALUES (?,?,?,?,?,?)")) {}
  ~RawInsertWriter() {
    sqlite3_finalize(tap_);
    sqlite3_finalize(telemetry_);
  }
  RawInsertWriter(const RawInsertWriter&) = delete;
  RawInsertWriter& operator=(const RawInsertWriter&) = delete;

  std::size_t Write(const Messages& m, std::size_t first, std::size_t count) {
    std::size_t failed = 0;
    sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (std::size_t i = first; i < first + count; ++i) {
      const fp::store::PendingEvent& e = m.events[i];
      sqlite3_stmt* s = nullptr;
      if (const auto* tap = std::get_if<fp::core::Tap>(&e.decoded)) {
        s = tap_;
        Text(s, 1, tap->site);
        Text(s, 2, tap->device_id);
        Text(s, 3, tap->msg_id);
        Text(s, 4, tap->technician_id);
        Text(s, 5, fp::core::ToString(tap->kind));
        Text(s, 6, tap->tag.type == fp::core::TagRead::Type::kSun ? "sun" : "uid");
        Text(s, 7, tap->tag.value);
        sqlite3_bind_int64(s, 8, tap->read_at);
        sqlite3_bind_int64(s, 9, tap->sent_at);
        sqlite3_bind_int64(s, 10, e.received_at);
        OptionalText(s, 11, tap->result ? fp::core::ToString(*tap->result) : "");
        OptionalText(s, 12, m.encoded[i].checklist);
        OptionalText(s, 13, m.encoded[i].defects);
        OptionalText(s, 14, tap->work_order_id ? std::string_view(*tap->work_order_id) : "");
        Text(s, 15, tap->firmware);
        sqlite3_bind_blob64(s, 16, e.payload.data(), e.payload.size(), SQLITE_STATIC);
      } else {
        const auto& t = std::get<fp::core::Telemetry>(e.decoded);
        s = telemetry_;
        Text(s, 1, t.site);
        Text(s, 2, t.asset_id);
        Text(s, 3, t.msg_id);
        sqlite3_bind_int64(s, 4, t.device_time);
        sqlite3_bind_int64(s, 5, e.received_at);
        sqlite3_bind_blob64(s, 6, e.payload.data(), e.payload.size(), SQLITE_STATIC);
      }
      failed += sqlite3_step(s) != SQLITE_DONE;
      sqlite3_reset(s);
    }
    failed += sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK;
    return failed;
  }

 private:
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) throw std::runtime_error(sql);
    return s;
  }
  // The values outlive the step, so SQLite may read them in place.
  static void Text(sqlite3_stmt* s, int i, std::string_view v) {
    sqlite3_bind_text64(s, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  static void OptionalText(sqlite3_stmt* s, int i, std::string_view v) {
    if (v.empty()) {
      sqlite3_bind_null(s, i);
    } else {
      Text(s, i, v);
    }
  }

  sqlite3* db_;
  sqlite3_stmt* tap_;
  sqlite3_stmt* telemetry_;
};

template <class Writer>
void WriteBatches(benchmark::State& state, const char* label) {
  const Messages& m = SiteAtWork();
  const auto batch = static_cast<std::size_t>(state.range(0));
  const fs::path path = BenchDir() / "events.db";
  std::unique_ptr<fp::store::Database> db;
  std::unique_ptr<Writer> writer;
  std::size_t next = m.events.size();
  std::size_t not_stored = 0;
  for (auto _ : state) {
    if (next + batch > m.events.size()) {
      state.PauseTiming();
      writer.reset();
      db.reset();
      db = FreshDatabase(path, m.site);
      writer = std::make_unique<Writer>(*db);
      next = 0;
      state.ResumeTiming();
    }
    not_stored += writer->Write(m, next, batch);
    next += batch;
  }
  if (not_stored > 0) state.SkipWithError("a message was not stored as new");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
  state.SetLabel(std::string(label) + ", " + std::to_string(100 * m.taps / m.events.size()) +
                 " % taps");
}

void BM_EventStoreWriteBatch(benchmark::State& state) {
  WriteBatches<StoreWriter>(state, "EventStore::WriteBatch");
}
// Wall time: the checkpoints' fsyncs (synchronous=NORMAL) are part of the cost.
BENCHMARK(BM_EventStoreWriteBatch)->Arg(1)->Arg(100)->Arg(1000)->UseRealTime();

void BM_RawInsertBound(benchmark::State& state) {
  WriteBatches<RawInsertWriter>(state, "bound: bare prepared INSERTs");
}
BENCHMARK(BM_RawInsertBound)->Arg(1)->Arg(100)->Arg(1000)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  fs::remove_all(BenchDir(), ec);
  return 0;
}
