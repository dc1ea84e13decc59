// fieldproof-sim: generate a site, or run it against a broker.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "firmware-sim/fault_injector.hpp"
#include "firmware-sim/floor_plans.hpp"
#include "firmware-sim/fraud_scenarios.hpp"
#include "firmware-sim/mqtt_publisher.hpp"
#include "firmware-sim/photo_uploader.hpp"
#include "firmware-sim/scenario.hpp"
#include "firmware-sim/verdict_inbox.hpp"
#include "gateway/mqtt/tls_options.hpp"
#include "gateway/codec/registry_csv.hpp"
#include "gateway/crypto/hex.hpp"

namespace {

using namespace fieldproof;

void AddSiteOptions(CLI::App* app, sim::SiteSpec& spec) {
  app->add_option("--seed", spec.seed, "Random seed: the same seed gives the same site")->capture_default_str();
  app->add_option("--site", spec.site, "Site code")->capture_default_str();
  app->add_option("--assets", spec.assets, "Number of assets")->capture_default_str()->check(CLI::Range(1, 1000000));
  app->add_option("--buildings", spec.buildings, "Buildings")->capture_default_str()->check(CLI::Range(1, 100));
  app->add_option("--floors", spec.floors, "Floors per building")->capture_default_str()->check(CLI::Range(1, 100));
  app->add_option("--technicians", spec.technicians, "Technicians, each with one handheld")->capture_default_str()->check(CLI::Range(1, 10000));
  app->add_option("--sensor-ratio", spec.sensor_ratio, "Share of assets with sensors")->capture_default_str()->check(CLI::Range(0.0, 1.0));
}

std::optional<crypto::Key128> LoadMasterKey(const std::string& hex_arg, const std::string& file) {
  std::string hex = hex_arg;
  if (hex.empty() && !file.empty()) {
    std::ifstream in(file);
    in >> hex;
  }
  if (hex.empty()) {
    if (const char* env = std::getenv("FIELDPROOF_MASTER_KEY")) hex = env;
  }
  const auto bytes = crypto::HexDecode(hex);
  if (!bytes || bytes->size() != 16) return std::nullopt;
  crypto::Key128 key{};
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return key;
}

int Generate(const sim::SiteSpec& spec, const std::string& out_dir, core::UnixMillis history_until) {
  const sim::Site site = sim::GenerateSite(spec);
  std::filesystem::create_directories(out_dir);
  std::ofstream assets(out_dir + "/assets.csv");
  assets << codec::AssetsCsvHeader();
  for (const auto& a : site.assets) assets << codec::AssetCsvRow(a);
  std::ofstream technicians(out_dir + "/technicians.csv");
  technicians << codec::TechniciansCsvHeader();
  for (const auto& t : site.technicians) technicians << codec::TechnicianCsvRow(t);
  technicians << codec::TechnicianCsvRow(site.trainee) << codec::TechnicianCsvRow(site.visitor);
  std::ofstream devices(out_dir + "/devices.csv");
  devices << codec::DevicesCsvHeader();
  for (const auto& h : site.handhelds) {
    devices << codec::DeviceCsvRow({h.device_id, spec.site, site.technicians.front().company});
  }
  for (const auto* h : {&site.trainee_handheld, &site.visitor_handheld}) {
    devices << codec::DeviceCsvRow({h->device_id, spec.site, site.trainee.company});
  }
  std::ofstream history(out_dir + "/history.csv");
  history << codec::HistoryCsvHeader();
  for (const auto& past : sim::GenerateHistory(site, history_until)) history << codec::HistoryCsvRow(past);
  // Plans in a folder of their own, listed for `fieldproof plan import plans/plans.csv`.
  std::filesystem::create_directories(out_dir + "/plans");
  std::ofstream plan_list(out_dir + "/plans/plans.csv");
  plan_list << codec::PlanListHeader();
  const auto drawings = sim::DrawFloorPlans(site);
  for (const auto& d : drawings) {
    plan_list << codec::PlanListCsvRow(d.placement);
    std::ofstream(out_dir + "/plans/" + d.placement.file) << d.svg;
  }
  std::cout << "generated site " << spec.site << ": " << site.assets.size() << " assets, "
            << site.technicians.size() << " technicians, " << site.handhelds.size()
            << " handhelds, " << drawings.size() << " floor plans in " << out_dir << "\n";
  return 0;
}

struct RunOptions {
  std::string broker = "tcp://127.0.0.1:18830";
  std::string client_id = "fieldproof-sim";
  std::string start = "2026-11-02T06:00:00Z";
  std::uint64_t messages = 0;  // Good messages to send; 0 = until --duration.
  std::uint64_t skip = 0;      // Good messages to generate but not send first (resume a run).
  double duration_s = 0;
  double speed = 0;            // Simulated seconds per real second; 0 = as fast as possible.
  double rate = 0;             // Cap on messages per real second; 0 = none.
  std::uint64_t drop_every = 0;
  std::size_t window = 1000;
  std::string summary_file;
  std::string outbox_file;
  std::string publish_log;  // "<sender>/<msg_id> <unix ns>" per good message, for latency benchmarks.
  bool repairs = true;
  int qos = 1;
  double offline_hours = 0;  // The first handheld is out of coverage this long (simulated).
  std::string api_url;        // With a device token: photos are uploaded here (--photo-ratio).
  std::string api_token;
  mqtt_adapter::TlsFiles tls;  // With an ssl:// broker.
};

void AddTlsOptions(CLI::App* app, mqtt_adapter::TlsFiles& tls) {
  app->add_option("--tls-ca", tls.ca_file, "With an ssl:// broker: the CA the broker's certificate must chain to")
      ->check(CLI::ExistingFile);
  app->add_option("--tls-cert", tls.cert_file,
                  "With an ssl:// broker: the client certificate (its CN is the broker's ACL username "
                  "and client id; the verdict reader and an offline handheld use -verdicts and "
                  "-offline certificates beside it)")
      ->check(CLI::ExistingFile);
  app->add_option("--tls-key", tls.key_file, "With an ssl:// broker: the client certificate's key")
      ->check(CLI::ExistingFile);
}

// The files of a second connection's own certificate ("-<role>" beside the first), when the
// first has one.
mqtt_adapter::TlsFiles SecondIdentityIfAny(const mqtt_adapter::TlsFiles& tls, std::string_view role) {
  return tls.cert_file.empty() ? tls : mqtt_adapter::SecondIdentity(tls, role);
}

int Run(const sim::SiteSpec& site_spec, sim::ScenarioSpec scenario_spec,
        const sim::FaultSpec& faults, const RunOptions& o) {
  const sim::Site site = sim::GenerateSite(site_spec);
  // Technicians return to repair what they found once the gateway has named the work order.
  // That depends on timing, so a resumed run (--skip), which must regenerate the same stream,
  // goes without.
  // One identity per connection: with TLS the broker binds each client id to a certificate.
  sim::VerdictInbox inbox(o.broker, o.client_id + "-verdicts", site_spec.site,
                          SecondIdentityIfAny(o.tls, "verdicts"));
  if (o.repairs && o.skip == 0) {
    inbox.Start();
    scenario_spec.work_order_for = [&inbox](const std::string& asset) { return inbox.TakeWorkOrder(asset); };
  }
  std::optional<sim::PhotoUploader> photos;
  if (scenario_spec.photo_ratio > 0) {
    if (o.api_token.empty()) {
      std::cerr << "error: --photo-ratio needs --api-url and --api-token\n";
      return 2;
    }
    try {
      photos.emplace(o.api_url, o.api_token);
    } catch (const std::invalid_argument& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 2;
    }
  }
  sim::Scenario scenario(site, scenario_spec);
  sim::FaultInjector injector(faults);
  sim::OutboxPublisher publisher(o.broker, o.client_id, o.window, o.outbox_file, o.tls);
  publisher.set_qos(o.qos);
  if (publisher.recovered() > 0) {
    std::cerr << "sim: " << publisher.recovered() << " unacknowledged messages recovered from "
              << o.outbox_file << "\n";
  }
  if (!publisher.Connect(std::chrono::seconds(30))) return 2;

  // A handheld out of coverage: its own link, down from the start for offline_hours of
  // simulated time; its taps wait in its outbox (with their original times) and go out
  // when it is back.
  const std::string offline_device = o.offline_hours > 0 ? site.handhelds.at(0).device_id : "";
  const core::UnixMillis offline_until =
      scenario_spec.start + static_cast<core::UnixMillis>(o.offline_hours * 3600 * 1000);
  std::unique_ptr<sim::OutboxPublisher> offline;
  bool offline_back = false;
  std::uint64_t held_offline = 0;
  if (!offline_device.empty()) {
    offline = std::make_unique<sim::OutboxPublisher>(o.broker, o.client_id + "-offline",
                                                     std::size_t{1} << 20, "",
                                                     SecondIdentityIfAny(o.tls, "offline"));
    offline->set_qos(o.qos);
  }
  auto end_outage = [&] {
    if (!offline || offline_back) return;
    offline_back = true;
    std::cerr << "sim: " << offline_device << " back in coverage with " << held_offline
              << " taps in its outbox\n";
    offline->Connect(std::chrono::seconds(30));
  };

  for (std::uint64_t i = 0; i < o.skip; ++i) injector.After(scenario.Next());
  std::uint64_t taps = 0, telemetry = 0, duplicates = 0, sent = 0;
  std::map<std::string, std::uint64_t> garbage;
  const auto wall_start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  };
  double last_progress = 0;
  std::ofstream publish_log;
  if (!o.publish_log.empty()) publish_log.open(o.publish_log);
  while ((o.messages == 0 || taps + telemetry < o.messages) &&
         (o.duration_s <= 0 || elapsed() < o.duration_s)) {
    const sim::Outbound message = scenario.Next();
    if (o.speed > 0) {
      const double due = (message.at - scenario_spec.start) / 1000.0 / o.speed;
      if (due > elapsed()) std::this_thread::sleep_for(std::chrono::duration<double>(due - elapsed()));
    }
    // Sleeps only once 2 ms ahead: a sleep per message would cost the simulator more CPU
    // than the message (and skew benchmarks that share the machine).
    if (o.rate > 0 && sent / o.rate > elapsed() + 0.002) {
      std::this_thread::sleep_for(std::chrono::duration<double>(sent / o.rate - elapsed()));
    }
    if (offline && message.at >= offline_until) end_outage();
    if (publish_log.is_open()) {
      publish_log << message.sender << '/' << message.msg_id << ' '
                  << std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count()
                  << '\n';
    }
    for (const auto& photo : message.photos) photos->Upload(photo);  // Before its end tap.
    if (offline && !offline_back && message.sender == offline_device) {
      offline->Send(message.topic, message.payload);
      ++held_offline;
    } else {
      publisher.Send(message.topic, message.payload);
    }
    ++sent;
    ++(message.kind == sim::Outbound::Kind::kTap ? taps : telemetry);
    for (const auto& extra : injector.After(message)) {
      publisher.Send(extra.topic, extra.payload);
      ++sent;
      ++(extra.expected_reason.empty() ? duplicates : garbage[extra.expected_reason]);
    }
    if (o.drop_every > 0 && sent % o.drop_every == 0) publisher.DropConnection();
    if (elapsed() - last_progress >= 5) {
      last_progress = elapsed();
      std::cerr << "sim: " << sent << " messages sent (" << taps << " taps, " << telemetry
                << " telemetry), " << static_cast<int>(sent / elapsed()) << " msg/s\n";
    }
  }
  end_outage();
  bool flushed = publisher.Flush(std::chrono::seconds(120));
  if (offline) flushed = offline->Flush(std::chrono::seconds(120)) && flushed;
  const double seconds = elapsed();
  publisher.Disconnect();
  if (offline) offline->Disconnect();

  std::uint64_t garbage_total = 0;
  for (const auto& [reason, n] : garbage) garbage_total += n;
  const nlohmann::json summary = {
      {"site", site_spec.site},
      {"sent", sent},
      {"taps", taps},
      {"telemetry", telemetry},
      {"duplicates", duplicates},
      {"garbage", garbage_total},
      {"garbage_by_reason", garbage},
      {"sent_after_reconnect", publisher.resent()},
      {"recovered_from_outbox", publisher.recovered()},
      {"offline_device", offline_device},
      {"held_offline", held_offline},
      {"work_orders_learnt", inbox.learnt()},
      {"photos_uploaded", photos ? photos->uploaded() : 0},
      {"photos_failed", photos ? photos->failed() : 0},
      {"all_acknowledged", flushed},
      {"seconds", seconds},
      {"messages_per_second", seconds > 0 ? sent / seconds : 0}};
  std::cout << summary.dump() << std::endl;
  if (!o.summary_file.empty()) std::ofstream(o.summary_file) << summary.dump(2) << "\n";
  return flushed ? 0 : 1;
}

// Publishes every fraud and awkward-but-honest case, then prints what the gateway must
// conclude for each (JSON), for the end-to-end test and for demonstrations.
int RunFraudCases(const sim::SiteSpec& site_spec, const crypto::Key128& key, core::UnixMillis start,
                  const RunOptions& o) {
  const sim::Site site = sim::GenerateSite(site_spec);
  const auto cases = sim::BuildFraudCases(site, key, start);
  sim::OutboxPublisher publisher(o.broker, o.client_id, o.window, "", o.tls);
  if (!publisher.Connect(std::chrono::seconds(30))) return 2;
  nlohmann::json expectations = nlohmann::json::array();
  for (const auto& c : cases) {
    for (const auto& m : c.messages) publisher.Send(m.topic, m.payload);
    for (const auto& e : c.expectations) {
      nlohmann::json checks = nlohmann::json::object();
      for (const auto& check : e.checks) checks[check.name] = check.status;
      expectations.push_back({{"case", c.name}, {"story", c.story}, {"end_msg_id", e.end_msg_id},
                              {"verdict", e.verdict}, {"checks", checks}});
    }
    std::cerr << "sim: case " << c.name << ": " << c.messages.size() << " messages — " << c.story
              << "\n";
  }
  const bool flushed = publisher.Flush(std::chrono::seconds(60));
  publisher.Disconnect();
  std::cout << expectations.dump() << std::endl;
  if (!o.summary_file.empty()) std::ofstream(o.summary_file) << expectations.dump(2) << "\n";
  return flushed ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fieldproof-sim: a simulated site — assets with NTAG 424 DNA tags, technicians "
               "with handhelds, shutter sensors — for demos, tests and load."};
  app.require_subcommand(1);
  sim::SiteSpec site_spec;

  std::string out_dir = "site";
  auto* generate = app.add_subcommand("generate", "Write the site's registry CSV files");
  AddSiteOptions(generate, site_spec);
  generate->add_option("--out", out_dir, "Output folder")->capture_default_str();
  std::string history_until = "2026-11-02T06:00:00Z";
  generate->add_option("--history-until", history_until,
                       "history.csv holds a year of past inspections up to this time (RFC 3339): fieldproof import history")
      ->capture_default_str();

  RunOptions o;
  sim::ScenarioSpec scenario_spec;
  sim::FaultSpec faults;
  std::string master_key_hex, master_key_file;
  auto* run = app.add_subcommand("run", "Publish the site's taps and telemetry to a broker (QoS 1); "
                                        "prints a JSON summary of what was sent");
  AddSiteOptions(run, site_spec);
  run->add_option("--broker", o.broker, "MQTT broker URI")->capture_default_str();
  run->add_option("--client-id", o.client_id, "MQTT client id")->capture_default_str();
  AddTlsOptions(run, o.tls);
  run->add_option("--master-key", master_key_hex, "Site master key, 32 hex digits");
  run->add_option("--master-key-file", master_key_file, "File holding the master key (else $FIELDPROOF_MASTER_KEY)");
  run->add_option("--start", o.start, "Simulated start time (RFC 3339)")->capture_default_str();
  run->add_option("--messages", o.messages, "Stop after this many good messages (0: no limit)")->capture_default_str();
  run->add_option("--skip", o.skip, "Generate this many good messages without sending them: "
                                    "continues an earlier run with the same options")->capture_default_str();
  run->add_option("--duration", o.duration_s, "Stop after this many real seconds (0: no limit)")->capture_default_str();
  run->add_option("--speed", o.speed, "Simulated seconds per real second (0: as fast as possible)")->capture_default_str();
  run->add_option("--rate", o.rate, "At most this many messages per second (0: no cap)")->capture_default_str();
  run->add_option("--duplicate-ratio", faults.duplicate_ratio, "Chance to resend an earlier message after each one")->capture_default_str()->check(CLI::Range(0.0, 1.0));
  run->add_option("--garbage-ratio", faults.garbage_ratio, "Chance to send a bad message after each one")->capture_default_str()->check(CLI::Range(0.0, 1.0));
  run->add_option("--drop-connection-every", o.drop_every, "Drop and re-establish the link every N messages")->capture_default_str();
  run->add_option("--window", o.window, "Unacknowledged messages in flight at most")->capture_default_str()->check(CLI::Range(1, 65535));
  run->add_option("--summary", o.summary_file, "Also write the summary JSON to this file");
  run->add_option("--publish-log", o.publish_log,
                  "Write \"<device or asset id>/<msg_id> <unix ns>\" for each good message as it is published "
                  "(for measuring publish-to-commit latency)");
  run->add_option("--outbox", o.outbox_file,
                  "Journal file for the outbox (the handheld's own storage): unacknowledged "
                  "messages survive a restart and are sent first");
  run->add_option("--qos", o.qos, "QoS of every message: 1, or 2 (exactly once to the broker)")
      ->check(CLI::IsMember({1, 2}))
      ->capture_default_str();
  run->add_option("--offline-hours", o.offline_hours,
                  "The first handheld starts out of coverage for this many simulated hours: its "
                  "taps wait in its outbox and arrive late, all at once")
      ->check(CLI::NonNegativeNumber);
  run->add_option("--photo-ratio", scenario_spec.photo_ratio,
                  "Share of inspections with a photo, uploaded to --api-url before the end tap "
                  "that names it")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  run->add_option("--sensor-fault-ratio", scenario_spec.sensor_fault_ratio,
                  "Share of sensor-equipped assets with a fault that raises an alarm: a low battery, a "
                  "sensor falling silent, a slow closure, a closure that never closes")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  run->add_option("--api-url", o.api_url, "The gateway's API for photos, http://host:port");
  run->add_option("--api-token", o.api_token, "A device token for the photos (fieldproof token create --role device)");
  run->add_flag("--repairs,!--no-repairs", o.repairs,
                "Listen to the gateway's verdicts and send technicians back to repair defects, "
                "naming the work order the gateway opened (off with --skip)")
      ->capture_default_str();
  auto* fraud = app.add_subcommand(
      "fraud", "Publish the fraud and awkward-but-honest inspection cases (cloned UID, replay, "
               "rollback, desk inspection, short dwell, no functional test, unqualified, wrong "
               "site, offline for hours, slow, two technicians); prints the expected verdicts");
  AddSiteOptions(fraud, site_spec);
  fraud->add_option("--broker", o.broker, "MQTT broker URI")->capture_default_str();
  fraud->add_option("--client-id", o.client_id, "MQTT client id")->capture_default_str();
  AddTlsOptions(fraud, o.tls);
  fraud->add_option("--master-key", master_key_hex, "Site master key, 32 hex digits");
  fraud->add_option("--master-key-file", master_key_file, "File holding the master key");
  fraud->add_option("--start", o.start, "Simulated time of the first case (RFC 3339)")
      ->capture_default_str();
  fraud->add_option("--expectations", o.summary_file, "Also write the expectations to this file");

  CLI11_PARSE(app, argc, argv);

  if (*generate) {
    const auto until = core::ParseRfc3339(history_until);
    if (!until) {
      std::cerr << "error: --history-until is not an RFC 3339 time\n";
      return 2;
    }
    return Generate(site_spec, out_dir, *until);
  }
  try {
    mqtt_adapter::SslOptionsFor(o.broker, o.tls);
  } catch (const std::invalid_argument& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }

  const auto key = LoadMasterKey(master_key_hex, master_key_file);
  if (!key) {
    std::cerr << "error: a master key (32 hex digits) is required: --master-key, "
                 "--master-key-file or FIELDPROOF_MASTER_KEY\n";
    return 2;
  }
  const auto start = core::ParseRfc3339(o.start);
  if (!start) {
    std::cerr << "error: --start is not an RFC 3339 time\n";
    return 2;
  }
  if (*fraud) return RunFraudCases(site_spec, *key, *start, o);
  scenario_spec.master_key = *key;
  scenario_spec.start = *start;
  faults.seed = site_spec.seed;
  return Run(site_spec, scenario_spec, faults, o);
}
