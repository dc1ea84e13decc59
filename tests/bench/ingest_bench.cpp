// End-to-end ingest against the broker's own ceiling (issue 7), with real processes: a
// mosquitto on a free loopback port, the simulator publishing a 30,000-asset site at full
// rate with QoS 1, and
//   1. the ceiling: the same load through the same broker to a subscriber that only counts;
//   2. the gateway, verifying and committing to SQLite, at full rate;
//   3. the gateway at half the ceiling's rate, for publish-to-commit latency;
//   4. optionally (--long-messages), a long run at the latency phase's rate that samples the
//      gateway's resident memory.
// Publish times come from the simulator (--publish-log); commit times from polling the
// database for new rows every --poll-ms, so a latency is at most that much late.
//   ops/bench-ingest.sh [--seconds 20] [--long-messages 10000000]
#include <mqtt/async_client.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "gateway/core/topic.hpp"
#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fp = fieldproof;
using fp::testing::Broker;
using fp::testing::Gateway;
using fp::testing::Process;
using fp::testing::ScratchDir;

namespace {

std::int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Options {
  double seconds = 20;
  int assets = 30'000;
  int technicians = 40;
  std::uint64_t long_messages = 0;
  int poll_ms = 2;
  bool verify = true;
  std::vector<std::string> gateway_args;  // Passed on, e.g. --commit-delay-ms 20.
  double half_rate = 0;                   // 0: half the ceiling measured in the same run.
  std::string latency_csv;                // Per-message latencies of the half-load phase.
};

std::vector<std::string> SiteArgs(const Options& o) {
  return {"--seed", "42", "--site", "FRA", "--assets", std::to_string(o.assets), "--buildings", "4",
          "--floors", "5", "--technicians", std::to_string(o.technicians), "--sensor-ratio", "0.2"};
}

double ChildrenCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_CHILDREN, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The simulator publishing the site with QoS 1 as "sim-<name>", its summary in <name>.json.
std::vector<std::string> SimArgv(const ScratchDir& dir, const Broker& broker, const Options& o,
                                 const std::vector<std::string>& args, const std::string& name) {
  std::vector<std::string> argv = {FIELDPROOF_SIM_BIN, "run", "--broker", broker.uri(), "--master-key",
                                   fp::testing::kMasterKey, "--no-repairs", "--qos", "1",
                                   "--client-id", "sim-" + name, "--summary", dir / (name + ".json")};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto site = SiteArgs(o);
  argv.insert(argv.end(), site.begin(), site.end());
  return argv;
}

// Runs the simulator to completion and returns its summary, with the CPU time it used.
nlohmann::json Publish(const ScratchDir& dir, const Broker& broker, const Options& o,
                       const std::vector<std::string>& args, const std::string& name) {
  const double cpu_before = ChildrenCpuSeconds();
  Process sim(SimArgv(dir, broker, o, args, name), dir / (name + ".log"));
  if (sim.Wait(std::chrono::hours(4)) != 0) {
    throw std::runtime_error("simulator failed: " + fp::testing::ReadText(dir / (name + ".log")));
  }
  auto summary = nlohmann::json::parse(fp::testing::ReadText(dir / (name + ".json")));
  summary["cpu_seconds"] = ChildrenCpuSeconds() - cpu_before;
  return summary;
}

std::uint64_t Good(const nlohmann::json& summary) {
  return summary["taps"].get<std::uint64_t>() + summary["telemetry"].get<std::uint64_t>();
}

// "<sender>/<msg_id>" -> publish time, from the simulator's --publish-log. A msg_id alone is
// unique only per sender: every sensor counts its own "tm-1", "tm-2", ...
std::unordered_map<std::string, std::int64_t> ReadPublishLog(const std::string& path, std::int64_t& first) {
  std::unordered_map<std::string, std::int64_t> out;
  std::ifstream in(path);
  std::string id;
  std::int64_t ns = 0;
  first = INT64_MAX;
  while (in >> id >> ns) {
    out.emplace(std::move(id), ns);
    first = std::min(first, ns);
  }
  return out;
}

// The ceiling's receiver: a QoS 1 subscriber on the gateway's topics that only counts.
class CountingSubscriber : public virtual mqtt::callback {
 public:
  explicit CountingSubscriber(const std::string& uri) : client_(uri, "ceiling-counter") {
    client_.set_callback(*this);
    client_.connect(mqtt::connect_options_builder().clean_session(false).finalize())->wait();
    client_.subscribe(std::string(fp::core::kIngestSubscription), 1)->wait();
  }
  ~CountingSubscriber() override {
    client_.unsubscribe(std::string(fp::core::kIngestSubscription))->wait();
    client_.disconnect()->wait();
  }
  std::uint64_t count() const { return count_; }
  std::int64_t last_ns() const { return last_ns_; }

 private:
  void message_arrived(mqtt::const_message_ptr) override {
    last_ns_ = NowNs();
    ++count_;
  }
  mqtt::async_client client_;
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::int64_t> last_ns_{0};
};

// When a message was committed (first seen by a poll) and when the gateway received it.
struct Committed {
  std::int64_t at_ns = 0;
  std::int64_t received_ms = 0;  // The gateway's own receive time, as stored.
};

// Polls the gateway's database for rows committed since the last poll and stamps them,
// keyed as the publish log is. Rows committed before it started are not counted.
class CommitWatcher {
 public:
  CommitWatcher(const std::string& db, int poll_ms, bool keep_ids)
      : db_(db), poll_(poll_ms), keep_ids_(keep_ids), last_rowid_(LastRowids(db)), thread_([this] { Run(); }) {}
  ~CommitWatcher() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::uint64_t count() const { return count_; }
  std::int64_t last_ns() const { return last_ns_; }
  // After Stop(): "<sender>/<msg_id>" -> when it was committed and received.
  const std::unordered_map<std::string, Committed>& committed() const { return committed_; }

 private:
  static std::array<std::int64_t, 2> LastRowids(const std::string& path) {
    fp::store::Database db(path);
    return {db.QueryInt("SELECT coalesce(max(rowid), 0) FROM taps"),
            db.QueryInt("SELECT coalesce(max(rowid), 0) FROM telemetry")};
  }
  void Run() {
    fp::store::Database db(db_);
    fp::store::Statement newer[2] = {
        db.Prepare("SELECT rowid, device_id || '/' || msg_id, received_at FROM taps WHERE rowid > ?1 ORDER BY rowid"),
        db.Prepare("SELECT rowid, asset_id || '/' || msg_id, received_at FROM telemetry WHERE rowid > ?1 ORDER BY rowid")};
    while (!stop_) {
      const std::int64_t now = NowNs();
      for (int t = 0; t < 2; ++t) {
        auto& s = newer[t];
        s.Bind(1, last_rowid_[t]);
        while (s.Step()) {
          last_rowid_[t] = s.Int(0);
          if (keep_ids_) committed_.emplace(s.Text(1), Committed{now, s.Int(2)});
          ++count_;
          last_ns_ = now;
        }
      }
      std::this_thread::sleep_for(poll_);
    }
  }
  std::string db_;
  std::chrono::milliseconds poll_;
  bool keep_ids_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::int64_t> last_ns_{0};
  std::unordered_map<std::string, Committed> committed_;
  std::array<std::int64_t, 2> last_rowid_;  // Of taps and telemetry; Run's once started.
  std::thread thread_;
};

// A message both published and seen committed: when, in the bench's clock (ns), and the
// gateway's own receive time (whole ms).
struct Measured {
  std::int64_t published_ns, committed_ns, received_ms;
  double latency_ms() const { return (committed_ns - published_ns) / 1e6; }
  // The part before the gateway received it: simulator, broker, Paho.
  double to_gateway_ms() const { return received_ms - published_ns / 1e6; }
};

// The messages of `published` that were seen committed, in publish order.
std::vector<Measured> Join(const std::unordered_map<std::string, std::int64_t>& published,
                           const std::unordered_map<std::string, Committed>& committed) {
  std::vector<Measured> measured;
  measured.reserve(published.size());
  for (const auto& [id, at] : published) {
    if (auto it = committed.find(id); it != committed.end()) {
      measured.push_back({at, it->second.at_ns, it->second.received_ms});
    }
  }
  std::sort(measured.begin(), measured.end(),
            [](const Measured& a, const Measured& b) { return a.published_ns < b.published_ns; });
  return measured;
}

// One line per message: seconds since the first publish, publish-to-commit milliseconds, and
// of those the part before the gateway received it (receive times are whole milliseconds).
void WriteLatencyCsv(const std::string& path, std::int64_t first, const std::vector<Measured>& measured) {
  std::ofstream out(path);
  out << "published_s,latency_ms,to_gateway_ms\n";
  for (const Measured& m : measured) {
    out << (m.published_ns - first) / 1e9 << ',' << m.latency_ms() << ',' << m.to_gateway_ms()
        << '\n';
  }
}

struct Percentile {
  double p50 = 0, p99 = 0, max = 0;
};
Percentile Of(std::vector<double> ms) {
  if (ms.empty()) return {};
  std::sort(ms.begin(), ms.end());
  auto at = [&ms](double q) { return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * ms.size()))]; };
  return {at(0.50), at(0.99), ms.back()};
}

struct Latency {
  Percentile total;       // Publish to commit.
  Percentile to_gateway;  // Publish to the gateway's receive time: simulator, broker, Paho.
  std::size_t samples = 0;
};

Latency Percentiles(const std::vector<Measured>& measured) {
  std::vector<double> total, to_gateway;
  total.reserve(measured.size());
  to_gateway.reserve(measured.size());
  for (const Measured& m : measured) {
    total.push_back(m.latency_ms());
    to_gateway.push_back(m.to_gateway_ms());
  }
  return {Of(std::move(total)), Of(std::move(to_gateway)), measured.size()};
}

// CPU time a process has used so far (user + system).
double CpuSeconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(text.substr(text.rfind(')') + 2));  // After "pid (comm) ".
  std::string field;
  double ticks = 0;
  for (int i = 3; fields >> field && i <= 15; ++i) {
    if (i >= 14) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// CPU time per message of some processes over one phase: where the two cores went.
class CpuMeter {
 public:
  explicit CpuMeter(std::vector<std::pair<std::string, pid_t>> processes) : processes_(std::move(processes)) {
    for (const auto& [name, pid] : processes_) used_.push_back(-CpuSeconds(pid));
  }
  // The end of the phase (before the bench's own bookkeeping).
  void Stop() {
    for (std::size_t i = 0; i < processes_.size(); ++i) used_[i] += CpuSeconds(processes_[i].second);
  }
  void Print(std::uint64_t messages, const nlohmann::json& sim) const {
    std::printf("%-30s simulator %.1f us", "  CPU per message", 1e6 * sim["cpu_seconds"].get<double>() / messages);
    for (std::size_t i = 0; i < processes_.size(); ++i) {
      std::printf(" %s %.1f us", processes_[i].first.c_str(), 1e6 * used_[i] / static_cast<double>(messages));
    }
    std::printf("\n");
  }

 private:
  std::vector<std::pair<std::string, pid_t>> processes_;
  std::vector<double> used_;  // CPU seconds.
};

struct Memory {
  long rss_kib = 0, peak_kib = 0;
};
Memory ReadMemory(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  Memory m;
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) m.rss_kib = std::stol(line.substr(6));
    if (line.rfind("VmHWM:", 0) == 0) m.peak_kib = std::stol(line.substr(6));
  }
  return m;
}

// Waits until `count` reaches `expected`, printing progress; false after `idle` without any.
template <typename Counter>
bool WaitFor(const Counter& counter, std::uint64_t expected, const char* what,
             std::chrono::seconds idle = std::chrono::seconds(120)) {
  auto last_change = std::chrono::steady_clock::now();
  std::uint64_t last = 0;
  while (counter.count() < expected) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (counter.count() != last) {
      last = counter.count();
      last_change = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - last_change > idle) {
      std::cerr << what << ": stuck at " << last << " of " << expected << "\n";
      return false;
    }
  }
  return true;
}

void PrintRow(const char* phase, std::uint64_t messages, double seconds, const Latency* latency,
              const Memory* memory) {
  std::printf("%-30s %10llu %8.1f %10.0f", phase, static_cast<unsigned long long>(messages), seconds,
              messages / seconds);
  if (latency && latency->samples > 0) {
    std::printf("   %7.1f %7.1f %8.1f", latency->total.p50, latency->total.p99, latency->total.max);
  } else {
    std::printf("   %7s %7s %8s", "", "", "");
  }
  if (memory) std::printf("  %8.1f", memory->peak_kib / 1024.0);
  std::printf("\n");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"ingest_bench: the gateway's sustained ingest against the broker's own ceiling "
               "(mosquitto, loopback, QoS 1), publish-to-commit latency at half load, and "
               "resident memory over a long run"};
  app.add_option("--seconds", o.seconds, "Length of the full-rate and half-load runs")->capture_default_str();
  app.add_option("--assets", o.assets, "Assets on the site")->capture_default_str();
  app.add_option("--technicians", o.technicians, "Technicians (one handheld each)")->capture_default_str();
  app.add_option("--long-messages", o.long_messages,
                 "Then publish this many more messages, at the latency phase's rate, and sample the gateway's "
                 "memory (0: skip)")
      ->capture_default_str();
  app.add_option("--poll-ms", o.poll_ms, "How often commits are looked for")->capture_default_str();
  app.add_flag("--verify,!--no-verify", o.verify, "The gateway verifies taps (as in production)")
      ->capture_default_str();
  app.add_option("--gateway-arg", o.gateway_args,
                 "An option for the gateway, e.g. --gateway-arg=--commit-delay-ms=20 (repeatable); "
                 "$FIELDPROOF_GATEWAY_BIN runs another gateway build");
  app.add_option("--half-rate", o.half_rate,
                 "Rate of the latency phase in msg/s instead of half the measured ceiling (to compare "
                 "builds at the same load)");
  app.add_option("--latency-csv", o.latency_csv,
                 "Write each message of the latency phase (publish time, latency) to this CSV file");
  CLI11_PARSE(app, argc, argv);

  ScratchDir dir;
  Broker broker(dir);
  const std::string db = dir / "fieldproof.db";
  std::cout << "ingest_bench: " << o.assets << " assets, " << o.technicians
            << " technicians; simulator -> mosquitto (loopback, QoS 1) -> ...; work in " << dir.path().string()
            << "\n";
  fp::testing::ImportSite(dir, db, SiteArgs(o));
  const std::string seconds = std::to_string(o.seconds);
  std::printf("\n%-30s %10s %8s %10s   %7s %7s %8s  %8s\n", "phase", "messages", "seconds", "msg/s",
              "p50 ms", "p99 ms", "max ms", "peak MiB");

  // 1. The ceiling.
  double ceiling = 0;
  {
    CountingSubscriber counter(broker.uri());
    CpuMeter cpu({{"broker", broker.pid()}, {"counter", ::getpid()}});
    const auto sent = Publish(dir, broker, o, {"--duration", seconds, "--publish-log", dir / "ceiling.pub"}, "ceiling");
    if (!WaitFor(counter, Good(sent), "ceiling")) return 1;
    cpu.Stop();
    std::int64_t first = 0;
    ReadPublishLog(dir / "ceiling.pub", first);
    const double s = (counter.last_ns() - first) / 1e9;
    ceiling = Good(sent) / s;
    PrintRow("broker ceiling (count only)", Good(sent), s, nullptr, nullptr);
    cpu.Print(Good(sent), sent);
  }

  std::vector<std::string> gateway_args = o.gateway_args;
  if (o.verify) {
    const auto verify = fp::testing::VerifyingGatewayArgs(dir);
    gateway_args.insert(gateway_args.end(), verify.begin(), verify.end());
  }
  Gateway gateway(dir, broker, gateway_args);

  // Publishes with `args` to the gateway, waits until all of it is committed, prints the
  // phase's row; returns the messages and the committed rate.
  auto gateway_phase = [&](const std::string& name, std::vector<std::string> args, const std::string& label) {
    CommitWatcher watcher(db, o.poll_ms, true);
    CpuMeter cpu({{"broker", broker.pid()}, {"gateway", gateway.pid()}, {"bench", ::getpid()}});
    args.insert(args.end(), {"--duration", seconds, "--publish-log", dir / (name + ".pub")});
    const auto sent = Publish(dir, broker, o, args, name);
    if (!WaitFor(watcher, Good(sent), "gateway")) throw std::runtime_error("the gateway stopped committing");
    cpu.Stop();
    watcher.Stop();
    std::int64_t first = 0;
    const auto log = ReadPublishLog(dir / (name + ".pub"), first);
    const double s = (watcher.last_ns() - first) / 1e9;
    const std::vector<Measured> measured = Join(log, watcher.committed());
    const Latency latency = Percentiles(measured);
    if (name == "half" && !o.latency_csv.empty()) WriteLatencyCsv(o.latency_csv, first, measured);
    const Memory memory = ReadMemory(gateway.pid());
    PrintRow(label.c_str(), Good(sent), s, &latency, &memory);
    std::printf("%-30s %10s %8s %10s   %7.1f %7.1f %8.1f\n", "  of which publish -> received", "", "", "",
                latency.to_gateway.p50, latency.to_gateway.p99, latency.to_gateway.max);
    std::printf("%-30s %10zu of %zu published messages\n", "  latencies measured for", latency.samples, log.size());
    cpu.Print(Good(sent), sent);
    fp::store::Database reader(db);  // With --alarms: is the alarm worker keeping up?
    std::printf("%-30s %10lld telemetry messages\n", "  not yet judged for alarms",
                static_cast<long long>(reader.QueryInt(
                    "SELECT (SELECT coalesce(max(id), 0) FROM telemetry) - telemetry_id FROM alarm_cursor")));
    return std::tuple{Good(sent), Good(sent) / s, latency};
  };

  // 2. The gateway at full rate: the same messages (same seed, same stream).
  const auto [full_messages, full, full_latency] =
      gateway_phase("full", {}, o.verify ? "gateway, verifying (full rate)" : "gateway (full rate)");
  std::printf("%-30s %9.1f %%  (target >= 80 %%)\n", "gateway / ceiling", 100.0 * full / ceiling);

  // 3. Half the ceiling's rate: latency without a backlog.
  const double half_rate = o.half_rate > 0 ? o.half_rate : ceiling / 2;
  char label[64];
  std::snprintf(label, sizeof label, "gateway at %s (%.0f msg/s)", o.half_rate > 0 ? "--half-rate" : "half",
                half_rate);
  const auto [half_messages, half, half_latency] =
      gateway_phase("half", {"--rate", std::to_string(half_rate), "--skip", std::to_string(full_messages)}, label);
  std::printf("%-30s %9.1f ms (target < 50 ms; commits looked for every %d ms)\n", "p99 publish -> commit",
              half_latency.total.p99, o.poll_ms);
  const std::uint64_t published = full_messages + half_messages;

  // 4. The long run: resident memory while millions of messages go through.
  if (o.long_messages > 0) {
    // At the latency phase's rate: at full rate a gateway that falls behind has the broker
    // queue the difference, and mosquitto drops what exceeds its queue limit.
    std::printf("\nlong run: %llu messages at %.0f msg/s; the gateway's resident memory:\n",
                static_cast<unsigned long long>(o.long_messages), half_rate);
    std::printf("%12s %10s %10s %10s %10s %10s\n", "messages", "seconds", "RSS MiB", "peak MiB", "DB MiB",
                "WAL MiB");
    CommitWatcher watcher(db, 200, false);
    const std::uint64_t target = o.long_messages;
    auto mib = [](const std::string& path) {
      std::error_code ignored;
      const auto bytes = std::filesystem::file_size(path, ignored);
      return ignored ? 0.0 : bytes / 1048576.0;
    };
    std::uint64_t last_reported = 0;
    auto report = [&](std::uint64_t n, double seconds) {
      last_reported = n;
      const Memory m = ReadMemory(gateway.pid());
      std::printf("%12llu %10.0f %10.1f %10.1f %10.0f %10.1f\n", static_cast<unsigned long long>(n),
                  seconds, m.rss_kib / 1024.0, m.peak_kib / 1024.0, mib(db), mib(db + "-wal"));
      std::fflush(stdout);
    };
    Process sim(SimArgv(dir, broker, o,
                        {"--messages", std::to_string(o.long_messages), "--skip", std::to_string(published),
                         "--rate", std::to_string(half_rate)},
                        "long"),
                dir / "long.log");
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    std::uint64_t next_report = 0;
    const std::uint64_t step = std::max<std::uint64_t>(o.long_messages / 20, 1);
    auto last_change = std::chrono::steady_clock::now();
    std::uint64_t last = 0;
    while (watcher.count() < target) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      const std::uint64_t n = watcher.count();
      if (n >= next_report) {
        report(n, elapsed());
        next_report = n - n % step + step;
      }
      if (n != last) {
        last = n;
        last_change = std::chrono::steady_clock::now();
      } else if (std::chrono::steady_clock::now() - last_change > std::chrono::minutes(2)) {
        std::cerr << "long run: stuck at " << n << "\n";
        return 1;
      }
    }
    const double s = elapsed();
    if (watcher.count() != last_reported) report(watcher.count(), s);
    std::printf("long run: %.0f msg/s committed; peak RSS %.1f MiB\n", o.long_messages / s,
                ReadMemory(gateway.pid()).peak_kib / 1024.0);
    if (o.verify) {
      fp::store::Database reader(db);
      std::printf("long run: %lld taps not yet verified when the last message was committed\n",
                  static_cast<long long>(reader.QueryInt("SELECT count(*) FROM taps WHERE assessed = 0")));
    }
    std::fflush(stdout);
    sim.Wait(std::chrono::minutes(5));
  }
  const auto stopping = std::chrono::steady_clock::now();
  const int stopped = gateway.Stop();
  std::printf("\ngateway stopped (exit %d) in %.1f s\n", stopped,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - stopping).count());
  if (stopped != 0) {
    const std::string log = fp::testing::ReadText(gateway.log());
    std::cerr << "the gateway did not stop cleanly; the end of its log:\n"
              << log.substr(log.size() - std::min<std::size_t>(log.size(), 4000)) << "\n";
    return 1;
  }
  // The gateway's own account: batches and commit times over all phases.
  std::istringstream log(fp::testing::ReadText(gateway.log()));
  for (std::string line; std::getline(log, line);) {
    for (const char* label : {"final: ", "checkpoints: "}) {
      if (const auto at = line.find(label); at != std::string::npos) {
        std::cout << "gateway " << line.substr(at) << "\n";
      }
    }
  }
  return 0;
}
