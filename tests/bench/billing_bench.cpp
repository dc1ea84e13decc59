// Month close and exports for a 30,000-asset site: about 2,500 verified inspections plus
// repairs, night and weekend visits, 40 technicians, in a real SQLite file. Each close
// iteration starts from a fresh copy of the month's database (copied outside the timing).
//   ops/build.sh billing_bench && build/tests/bench/billing_bench
#include <sqlite3.h>
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>

#include "firmware-sim/site_generator.hpp"
#include "tests/bench/bench_site.hpp"
#include "gateway/billing/invoice_ledger.hpp"
#include "gateway/codec/billing_codec.hpp"
#include "gateway/crypto/sha256.hpp"
#include "gateway/export/csv_export.hpp"
#include "gateway/export/ubl_writer.hpp"
#include "gateway/store/migrations.hpp"
#include "gateway/store/record_chain.hpp"
#include "gateway/store/work_orders.hpp"

namespace fp = fieldproof;
namespace fs = std::filesystem;

namespace {

constexpr int kAssets = 30'000;
constexpr int kInspections = 2'500;
const fp::core::Period kMonth{2026, 11};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The month's verified work, built once per process.
const fs::path& MonthDatabase() {
  static const fs::path path = [] {
    const fs::path dir =
        fs::temp_directory_path() / ("fieldproof-billing-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path db_path = dir / "month.db";
    fp::store::Database db(db_path.string());
    fp::store::Migrate(db);
    const auto site = fp::sim::GenerateSite({42, "FRA", kAssets, 4, 5, 40, 0.2});
    std::mt19937_64 rng(7);
    fp::store::InTransaction(db, [&] {
      fp::bench::InsertAssets(db, site);
      fp::store::RecordChain chain(db, fp::crypto::Sha256Hex);
      const fp::core::UnixMillis month_start = fp::core::PeriodStart(kMonth, {60, true});
      auto inspection = db.Prepare(
          "INSERT INTO inspections (site, asset_id, technician_id, device_id, start_tap_id, "
          "end_tap_id, "
          "started_at, ended_at, verdict, strength, assessed_at) VALUES "
          "('FRA',?,?,?,?,?,?,?,?,'strong',?) "
          "RETURNING id");
      std::vector<std::pair<std::string, std::string>> open_orders;  // (work order, asset)
      for (int i = 0; i < kInspections + 200; ++i) {
        std::string asset_id = site.assets[rng() % site.assets.size()].asset_id;
        std::string work_order;
        if (i % 25 == 1 && !open_orders.empty()) {  // Some visits repair what an earlier one found.
          std::tie(work_order, asset_id) = open_orders.back();
          open_orders.pop_back();
        }
        const int tech = static_cast<int>(rng() % 40);
        const int day = static_cast<int>(rng() % 30);
        // Mostly day shifts; one visit in twenty at night.
        const int hour = rng() % 20 == 0 ? 23 : 6 + static_cast<int>(rng() % 10);
        const fp::core::UnixMillis start = month_start + (day * 24LL + hour) * 3'600'000 +
                                           static_cast<fp::core::UnixMillis>(rng() % 3'000'000);
        const fp::core::UnixMillis end = start + 600'000;
        const char* verdict = i < kInspections
                                  ? (i % 20 == 0 ? "verified_with_defects" : "verified")
                                  : (i % 2 ? "needs_review" : "rejected");
        inspection.Bind(1, asset_id).Bind(2, site.technicians[tech].technician_id);
        inspection.Bind(3, site.handhelds[tech].device_id)
            .Bind(4, std::int64_t{2} * i + 1)
            .Bind(5, std::int64_t{2} * i + 2);
        inspection.Bind(6, start).Bind(7, end).Bind(8, verdict).Bind(9, end);
        inspection.Step();
        const std::int64_t id = inspection.Int(0);
        inspection.Reset();
        if (i >= kInspections) continue;
        fp::core::MaintenanceRecord r;
        r.site = "FRA";
        r.kind = "inspection";
        r.inspection_id = id;
        r.asset_id = asset_id;
        r.technician_id = site.technicians[tech].technician_id;
        r.started_at = start;
        r.ended_at = end;
        r.verdict = verdict;
        r.checklist = "{}";
        r.defects = r.verdict == "verified_with_defects"
                        ? R"([{"code":"seal_damaged","severity":"major","note":"torn"}])"
                        : "[]";
        r.evidence = "[]";
        r.recorded_at = end;
        if (!work_order.empty() &&
            fp::store::CompleteWorkOrder(db, "FRA", asset_id, work_order, id, end)) {
          r.work_order_id = work_order;
        }
        for (const auto& ref : fp::store::OpenWorkOrders(db, "FRA", asset_id, id, r.defects, end)) {
          open_orders.emplace_back(ref, asset_id);
        }
        chain.Append(std::move(r));
      }
    });
    const std::string contract =
        ReadFile(fs::path(FIELDPROOF_SOURCE_DIR) / "ops/contracts/OWN-FRA.json");
    fp::billing::InvoiceLedger(db).ImportContract(fp::codec::DecodeContract(contract).value(),
                                                  contract, 0);
    return db_path;
  }();
  return path;
}

fs::path FreshCopy() {
  const fs::path copy = MonthDatabase().parent_path() / "close.db";
  fs::remove(copy);
  fs::copy_file(MonthDatabase(), copy);
  return copy;
}

void BM_CloseMonth(benchmark::State& state) {
  std::size_t lines = 0, records = 0;
  std::int64_t repairs = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const fs::path path = FreshCopy();
    fp::store::Database db(path.string());
    fp::billing::InvoiceLedger ledger(db);
    state.ResumeTiming();
    const auto outcome = ledger.ClosePeriod(kMonth, "2026-12-01", 0);
    benchmark::DoNotOptimize(outcome);
    lines = outcome.value()[0].lines;
    records = outcome.value()[0].records_billed;
    state.PauseTiming();
    repairs = db.QueryInt(
        "SELECT count(*) FROM billed_records b JOIN maintenance_records m "
        "ON m.site = b.site AND m.seq = b.seq WHERE m.work_order_id <> ''");
    state.ResumeTiming();
  }
  state.counters["repairs"] = static_cast<double>(repairs);
  state.counters["records_billed"] = static_cast<double>(records);
  state.counters["invoice_lines"] = static_cast<double>(lines);
  state.SetLabel("one transaction: query, price, number, store");
}
BENCHMARK(BM_CloseMonth)->Unit(benchmark::kMillisecond)->Iterations(5);

sqlite3_stmt* Prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
    throw std::runtime_error(sqlite3_errmsg(db));
  return s;
}

// A column value as SQLite returned it, to be bound again unchanged.
using SqlValue = std::unique_ptr<sqlite3_value, void (*)(sqlite3_value*)>;

struct TableRows {
  std::string table;
  std::vector<std::vector<SqlValue>> rows;
};

// Every row one close writes, read back from a closed copy of the month, in an order the
// foreign keys accept.
const std::vector<TableRows>& RowsOfClose() {
  static const std::vector<TableRows> tables = [] {
    fp::store::Database db(FreshCopy().string());
    fp::billing::InvoiceLedger(db).ClosePeriod(kMonth, "2026-12-01", 0);
    std::vector<TableRows> out;
    for (const char* table :
         {"invoice_series", "invoices", "billed_records", "billed_callouts", "period_closes"}) {
      sqlite3_stmt* s = Prepare(db.handle(), std::string("SELECT * FROM ") + table);
      TableRows t{table, {}};
      while (sqlite3_step(s) == SQLITE_ROW) {
        auto& row = t.rows.emplace_back();
        for (int c = 0; c < sqlite3_column_count(s); ++c)
          row.emplace_back(sqlite3_value_dup(sqlite3_column_value(s, c)), sqlite3_value_free);
      }
      sqlite3_finalize(s);
      out.push_back(std::move(t));
    }
    return out;
  }();
  return tables;
}

// The bound: what SQLite must do for a close, on a fresh copy of the month as above: read
// the month's verified records once (through the partial index maintenance_verified) and
// write the rows the close writes, already priced, numbered and encoded (the invoice with
// its JSON document, a billed_records row per record, the callouts, the period_closes row),
// by bare prepared INSERTs in one transaction. The close adds the unbilled-records query's
// joins and not-billed-yet checks, pricing, and encoding the document.
void BM_CloseMonthBound(benchmark::State& state) {
  const auto& tables = RowsOfClose();
  std::int64_t rows_read = 0, rows_written = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const fs::path path = FreshCopy();
    fp::store::Database db(path.string());
    sqlite3* h = db.handle();
    state.ResumeTiming();
    rows_read = rows_written = 0;
    fp::store::InTransaction(db, [&] {
      sqlite3_stmt* s = Prepare(h,
                                "SELECT site, seq, hash, inspection_id, asset_id, technician_id, "
                                "started_at, ended_at FROM maintenance_records WHERE verdict IN "
                                "('verified', 'verified_with_defects') AND ended_at < ?");
      sqlite3_bind_int64(s, 1, fp::core::PeriodEnd(kMonth, {60, true}));
      std::int64_t touched = 0;
      while (sqlite3_step(s) == SQLITE_ROW) {
        ++rows_read;
        for (int c = 0; c < 8; ++c) touched += sqlite3_column_bytes(s, c);
      }
      sqlite3_finalize(s);
      benchmark::DoNotOptimize(touched);
      for (const TableRows& t : tables) {
        if (t.rows.empty()) continue;
        std::string sql = "INSERT INTO " + t.table + " VALUES (?";
        for (std::size_t c = 1; c < t.rows.front().size(); ++c) sql += ",?";
        s = Prepare(h, sql + ")");
        for (const auto& row : t.rows) {
          for (std::size_t c = 0; c < row.size(); ++c)
            sqlite3_bind_value(s, static_cast<int>(c) + 1, row[c].get());
          if (sqlite3_step(s) != SQLITE_DONE) state.SkipWithError(sqlite3_errmsg(h));
          sqlite3_reset(s);
          ++rows_written;
        }
        sqlite3_finalize(s);
      }
    });
  }
  state.counters["rows_read"] = static_cast<double>(rows_read);
  state.counters["rows_written"] = static_cast<double>(rows_written);
  state.SetLabel("bound: one read of the records, the same rows written");
}
BENCHMARK(BM_CloseMonthBound)->Unit(benchmark::kMillisecond)->Iterations(5);

// Part of the gap to the bound: the invoice's JSON document, encoded once per close.
void BM_EncodeInvoiceDocument(benchmark::State& state) {
  fp::store::Database db(FreshCopy().string());
  fp::billing::InvoiceLedger ledger(db);
  ledger.ClosePeriod(kMonth, "2026-12-01", 0);
  const fp::core::Invoice invoice = ledger.DocumentsOf(kMonth).front();
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes = fp::codec::EncodeInvoice(invoice).size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["lines"] = static_cast<double>(invoice.lines.size());
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_EncodeInvoiceDocument)->Unit(benchmark::kMillisecond);

// The closed month's documents, loaded once for the export benchmarks.
const std::vector<fp::core::Invoice>& ClosedMonth() {
  static const std::vector<fp::core::Invoice> docs = [] {
    const fs::path path = FreshCopy();
    fp::store::Database db(path.string());
    fp::billing::InvoiceLedger ledger(db);
    ledger.ClosePeriod(kMonth, "2026-12-01", 0);
    ledger.IssueCreditNote("FP-INV-000001", "Benchmark correction", {1, 2, 3}, "2026-12-05", 0);
    return ledger.DocumentsOf(kMonth);
  }();
  return docs;
}

void BM_LoadDocuments(benchmark::State& state) {
  ClosedMonth();
  fp::store::Database db((MonthDatabase().parent_path() / "close.db").string());
  fp::billing::InvoiceLedger ledger(db);
  for (auto _ : state) benchmark::DoNotOptimize(ledger.DocumentsOf(kMonth));
  state.SetLabel("read and decode the stored documents");
}
BENCHMARK(BM_LoadDocuments)->Unit(benchmark::kMillisecond);

template <class Write>
void ExportBenchmark(benchmark::State& state, Write&& write) {
  const auto& docs = ClosedMonth();
  std::size_t bytes = 0, lines = 0;
  for (const auto& d : docs) lines += d.lines.size();
  for (auto _ : state) {
    bytes = write(docs);
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["documents"] = static_cast<double>(docs.size());
  state.counters["lines"] = static_cast<double>(lines);
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
}

void BM_ExportCsv(benchmark::State& state) {
  ExportBenchmark(state,
                  [](const auto& docs) { return fp::exporter::WriteInvoiceCsv(docs).size(); });
}
BENCHMARK(BM_ExportCsv)->Unit(benchmark::kMillisecond);

void BM_ExportJson(benchmark::State& state) {
  ExportBenchmark(state, [](const auto& docs) {
    return fp::codec::EncodeInvoiceExport("2026-11", docs).size();
  });
}
BENCHMARK(BM_ExportJson)->Unit(benchmark::kMillisecond);

void BM_ExportUbl(benchmark::State& state) {
  ExportBenchmark(state, [](const auto& docs) {
    std::size_t bytes = 0;
    for (const auto& d : docs) bytes += fp::exporter::WriteUbl(d).size();
    return bytes;
  });
}
BENCHMARK(BM_ExportUbl)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ec;
  fs::remove_all(MonthDatabase().parent_path(), ec);
  return 0;
}
