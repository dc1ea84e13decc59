#include "tests/integration/test_harness.hpp"

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "gateway/crypto/hex.hpp"
#include "gateway/crypto/key_diversification.hpp"
#include "gateway/crypto/random.hpp"
#include "gateway/store/sqlite_db.hpp"

extern char** environ;

namespace fieldproof::testing {

ScratchDir::ScratchDir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          ("fieldproof-it-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  if (!std::getenv("FIELDPROOF_KEEP_TEST_DIRS")) {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
}

int FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

Process::Process(std::vector<std::string> argv, std::string log_file, const std::string& stdin_file)
    : log_file_(std::move(log_file)) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_file_.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, stdin_file.c_str(), O_RDONLY, 0);
  std::vector<char*> args;
  for (auto& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  const int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
}

Process::~Process() {
  if (!status_) {
    Signal(SIGKILL);
    Wait(std::chrono::seconds(10));
  }
}

void Process::Signal(int signal) const {
  if (pid_ > 0) ::kill(pid_, signal);
}

std::optional<int> Process::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!status_) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return status_;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return true;
}

bool WaitForText(const std::string& path, const std::string& needle,
                 std::chrono::milliseconds timeout) {
  return WaitUntil([&] { return ReadText(path).find(needle) != std::string::npos; }, timeout);
}

RunResult RunToCompletion(std::vector<std::string> argv, const ScratchDir& dir,
                          const std::optional<std::string>& input) {
  static int runs = 0;
  const std::string log = dir / ("run-" + std::to_string(++runs) + ".out");
  std::string stdin_file = "/dev/null";
  if (input) {
    stdin_file = dir / ("run-" + std::to_string(runs) + ".in");
    std::ofstream(stdin_file) << *input;
  }
  Process process(std::move(argv), log, stdin_file);
  const auto code = process.Wait(std::chrono::minutes(4));
  if (!code) throw std::runtime_error("timed out: see " + log);
  return {*code, ReadText(log)};
}

Broker::Broker(const ScratchDir& dir, std::vector<std::string> extra_config, Devices devices)
    : dir_(dir), port_(FreeLoopbackPort()) {
  std::ofstream conf(dir_ / "mosquitto.conf");
  // Started as root, mosquitto drops to user "mosquitto", which cannot write its
  // persistence file here; run it as whoever runs the tests (a no-op when not root).
  const passwd* me = ::getpwuid(::geteuid());
  conf << "user " << (me ? me->pw_name : "root") << "\n";
  if (devices == Devices::kWebSockets) {
    // One plugin instance, on the device listener only (ops/mosquitto.conf says why).
    const std::string password = crypto::RandomHex(16);
    const auto init = RunToCompletion({MOSQUITTO_CTRL_BIN, "dynsec", "init", dir_ / "dynsec.json",
                                       "admin", password},
                                      dir_);
    if (init.exit_code != 0) throw std::runtime_error("mosquitto_ctrl dynsec init: " + init.out);
    {
      std::ofstream admin(admin_file());
      admin << "admin:" << password << "\n";
    }
    std::filesystem::permissions(admin_file(), std::filesystem::perms::owner_read |
                                                    std::filesystem::perms::owner_write);
    devices_port_ = FreeLoopbackPort();
    conf << "per_listener_settings true\n"
         << "listener " << devices_port_ << " lo\n"  // "lo": loopback only (websockets)
         << "protocol websockets\n"
         << "allow_anonymous false\n"
         << "plugin " << MOSQUITTO_DYNSEC_PLUGIN << "\n"
         << "plugin_opt_config_file " << (dir_ / "dynsec.json") << "\n";
  }
  conf << "listener " << port_ << " 127.0.0.1\n"
       << "allow_anonymous true\n"
       << "persistence true\n"
       << "persistence_location " << dir_.path().string() << "/\n"
       << "max_queued_messages 1000000\n"
       << "max_inflight_messages 1000\n"
       << "max_packet_size 1048576\n"
       // Acknowledged deliveries to the gateway, even of QoS 0 messages (docs/reliability.md).
       << "upgrade_outgoing_qos true\n";
  for (const auto& line : extra_config) conf << line << "\n";
  conf.close();
  Start();
}

void Broker::Start() {
  process_ = std::make_unique<Process>(
      std::vector<std::string>{MOSQUITTO_BIN, "-c", dir_ / "mosquitto.conf"}, dir_ / "mosquitto.log");
  if (!WaitForText(dir_ / "mosquitto.log", "listen socket on port " + std::to_string(port_),
                   std::chrono::seconds(10))) {
    throw std::runtime_error("mosquitto did not start: " + ReadText(dir_ / "mosquitto.log"));
  }
}

void Broker::Restart() {
  process_->Signal(SIGTERM);  // Mosquitto saves its persistence file on a clean stop.
  process_->Wait(std::chrono::seconds(10));
  Start();
}

Gateway::Gateway(const ScratchDir& dir, const Broker& broker, std::vector<std::string> extra_args)
    : dir_(dir), broker_(broker), extra_args_(std::move(extra_args)), db_(dir / "fieldproof.db") {
  Start();
}

void Gateway::Start() {
  // $FIELDPROOF_GATEWAY_BIN runs another build (ops/bench-ingest.sh compares two).
  const char* binary = std::getenv("FIELDPROOF_GATEWAY_BIN");
  std::vector<std::string> argv = {binary ? binary : FIELDPROOF_GATEWAY_BIN, "--db", db_, "--broker", broker_.uri(),
                                   "--client-id", "gateway-under-test", "--stats-interval", "0", "--log-level", "debug",
                                   "--http-port", "0"};
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  static int instances = 0;
  if (starts_ == 0) instance_ = ++instances;
  log_ = dir_ / ("gateway-" + std::to_string(instance_) + "-" + std::to_string(++starts_) + ".log");
  process_ = std::make_unique<Process>(std::move(argv), log_);
  if (!WaitForText(log_, "subscribed to", std::chrono::seconds(20))) {
    throw std::runtime_error("gateway did not subscribe: " + ReadText(log_));
  }
}

int Gateway::HttpPort() const { return HttpPortInLog(log_); }

int HttpPortInLog(const std::string& gateway_log) {
  const std::string log = ReadText(gateway_log);
  const std::string marker = "http: listening on 127.0.0.1:";
  const auto at = log.find(marker);
  if (at == std::string::npos) throw std::runtime_error("the gateway serves no HTTP: " + gateway_log);
  return std::stoi(log.substr(at + marker.size()));
}

HttpResult HttpRequest(int port, std::string_view method, const std::string& target,
                       const std::string& token, const std::string& body) {
  namespace beast = boost::beast;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                static_cast<unsigned short>(port)));
  const auto verb = beast::http::string_to_verb({method.data(), method.size()});
  beast::http::request<beast::http::string_body> request{verb, target, 11};
  request.set(beast::http::field::host, "127.0.0.1");
  if (!body.empty()) {
    const bool png = body.starts_with("\x89PNG");
    request.set(beast::http::field::content_type, png ? "image/png" : "application/json");
    request.body() = body;
    request.prepare_payload();
  }
  if (!token.empty()) request.set(beast::http::field::authorization, "Bearer " + token);
  beast::http::write(stream, request);
  beast::flat_buffer buffer;
  beast::http::response_parser<beast::http::string_body> parser;
  parser.skip(verb == beast::http::verb::head);
  beast::http::read(stream, buffer, parser);
  beast::error_code ec;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  const auto& response = parser.get();
  return {static_cast<int>(response.result_int()), response.body(),
          std::string(response[beast::http::field::content_type])};
}

int Gateway::Stop() {
  process_->Signal(SIGTERM);
  const auto code = process_->Wait(std::chrono::seconds(60));
  return code.value_or(-1000);
}

void Gateway::Kill() {
  process_->Signal(SIGKILL);
  process_->Wait(std::chrono::seconds(10));
}

core::Tap HandTap(std::string msg_id, core::TapKind kind, std::string sun_url,
                  core::UnixMillis read_at) {
  core::Tap tap;
  tap.msg_id = std::move(msg_id);
  tap.device_id = "HH-0002";
  tap.technician_id = "T-0002";
  tap.site = "FRA";
  tap.firmware = "hh-2.4.1";
  tap.tag = {core::TagRead::Type::kSun, std::move(sun_url)};
  tap.read_at = read_at;
  tap.sent_at = read_at + 300;
  tap.kind = kind;
  if (kind == core::TapKind::kEnd) {
    for (const char* item : {"labels_legible", "no_damage", "guides_and_seals", "closing_device",
                             "full_closure", "release_device", "hold_open_device", "signage"}) {
      tap.checklist[item] = core::ChecklistAnswer::kPass;
    }
    tap.result = core::InspectionResult::kPass;
  }
  return tap;
}

PlainShutter FirstPlainShutter(const std::string& db) {
  store::Database database(db);
  auto s = database.Prepare(
      "SELECT asset_id, tag_uid FROM assets WHERE site = 'FRA' AND asset_type = 'fire_shutter' "
      "AND sensor_equipped = 0 ORDER BY asset_id LIMIT 1");
  if (!s.Step()) throw std::runtime_error("no plain fire shutter in " + db);
  PlainShutter shutter{s.Text(0), {}};
  crypto::Key128 master{};
  if (!crypto::HexDecodeInto(kMasterKey, master) || !crypto::HexDecodeInto(s.Text(1), shutter.tag.uid)) {
    throw std::runtime_error("bad test key or tag UID");
  }
  shutter.tag.base_url = "https://tag.fieldproof.example/t";
  shutter.tag.meta_read_key = crypto::SiteMetaReadKey(master, "FRA");
  shutter.tag.file_read_key = crypto::TagFileReadKey(master, shutter.tag.uid);
  return shutter;
}

namespace {

// The fire shutter's three-minute minimum stay is not what the app's tests are about.
std::string AssetTypesWithoutMinimumStay(const ScratchDir& dir) {
  const std::string path = dir / "asset-types.json";
  std::ofstream(path) << std::regex_replace(
      ReadText(std::string(FIELDPROOF_SOURCE_DIR) + "/ops/asset-types.json"),
      std::regex(R"("min_dwell_s": \d+)"), R"("min_dwell_s": 0)");
  return path;
}

RunResult Cli(const ScratchDir& dir, const std::string& db, std::vector<std::string> args,
              const std::optional<std::string>& input = std::nullopt) {
  args.insert(args.begin(), {FIELDPROOF_CLI_BIN, "--db", db});
  return RunToCompletion(args, dir, input);
}

}  // namespace

HandheldSite::HandheldSite(const ScratchDir& dir, const std::vector<std::string>& gateway_args)
    : broker(dir, {}, Broker::Devices::kWebSockets), db(dir / "fieldproof.db") {
  ImportSite(dir, db);
  std::vector<std::string> args = {"--master-key-file", WriteMasterKey(dir), "--asset-types",
                                   AssetTypesWithoutMinimumStay(dir), "--devices-broker",
                                   broker.devices_uri(), "--broker-admin-file", broker.admin_file()};
  args.insert(args.end(), gateway_args.begin(), gateway_args.end());
  gateway = std::make_unique<Gateway>(dir, broker, args);
  // HH-0002 and T-0002 are the handheld and technician of HandTap: registered to each other.
  const auto pin = Cli(dir, db, {"technician", "set-pin", kTechnician, "--site", "FRA"}, std::string(kPin) + "\n");
  if (pin.exit_code != 0) throw std::runtime_error("technician set-pin: " + pin.out);
  const auto enrolled = Cli(dir, db, {"device", "enrol", kDevice, "--site", "FRA", "--devices-broker",
                                      broker.devices_uri(), "--broker-admin-file", broker.admin_file()});
  std::smatch found;
  if (enrolled.exit_code != 0 ||
      !std::regex_search(enrolled.out, found, std::regex("\\n([A-Z2-7]{4}(-[A-Z2-7]{4}){3})\\n"))) {
    throw std::runtime_error("device enrol: " + enrolled.out);
  }
  code = found[1];
  shutter = FirstPlainShutter(db);
  shutter.tag.base_url += "/" + shutter.asset_id;
}

std::string WriteMasterKey(const ScratchDir& dir) {
  const std::string path = dir / "master.key";
  std::ofstream(path) << kMasterKey << "\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  return path;
}

std::vector<std::string> VerifyingGatewayArgs(const ScratchDir& dir) {
  WriteMasterKey(dir);
  return {"--master-key-file", dir / "master.key", "--asset-types",
          std::string(FIELDPROOF_SOURCE_DIR) + "/ops/asset-types.json", "--no-clock-correction"};
}

std::vector<std::string> SiteArgs() {
  return {"--seed", "7", "--site", "FRA", "--assets", "300", "--buildings", "2",
          "--floors", "3", "--technicians", "6", "--sensor-ratio", "0.3"};
}

// The CLI of the gateway build under test: another build's gateway ($FIELDPROOF_GATEWAY_BIN)
// refuses a database that this build's CLI created with a newer schema.
std::string CliBinary() {
  if (const char* gateway = std::getenv("FIELDPROOF_GATEWAY_BIN")) {
    const std::filesystem::path beside = std::filesystem::path(gateway).parent_path() / "fieldproof";
    if (std::filesystem::exists(beside)) return beside;
  }
  return FIELDPROOF_CLI_BIN;
}

namespace {

// The --site among a generator's arguments, FRA when none.
std::string SiteOf(const std::vector<std::string>& args) {
  const auto it = std::find(args.begin(), args.end(), "--site");
  return it != args.end() && it + 1 != args.end() ? *(it + 1) : "FRA";
}

}  // namespace

void ImportSite(const ScratchDir& dir, const std::string& db, const std::vector<std::string>& site) {
  std::vector<std::string> generate = {FIELDPROOF_SIM_BIN, "generate", "--out", dir / "site"};
  generate.insert(generate.end(), site.begin(), site.end());
  if (RunToCompletion(generate, dir).exit_code != 0) throw std::runtime_error("generate failed");
  for (const char* what : {"assets", "technicians", "devices"}) {
    const auto result = RunToCompletion({CliBinary(), "--db", db, "import", what,
                             dir / ("site/" + std::string(what) + ".csv")},
                            dir);
    if (result.exit_code != 0) throw std::runtime_error("import failed: " + result.out);
  }
  const auto plans = RunToCompletion({CliBinary(), "--db", db, "plan", "import", "--site", SiteOf(site), "--by",
                                      "test", dir / "site/plans/plans.csv"},
                                     dir);
  if (plans.exit_code != 0) throw std::runtime_error("plan import failed: " + plans.out);
}

std::vector<std::string> SimArgv(const Broker& broker, std::vector<std::string> args) {
  std::vector<std::string> argv = {FIELDPROOF_SIM_BIN, "run", "--broker", broker.uri(),
                                   "--master-key", kMasterKey};
  auto site = SiteArgs();
  argv.insert(argv.end(), site.begin(), site.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

nlohmann::json RunSim(const ScratchDir& dir, const Broker& broker, std::vector<std::string> args) {
  const RunResult result = RunToCompletion(SimArgv(broker, std::move(args)), dir);
  if (result.exit_code != 0) {  // Negative: the signal that killed it.
    throw std::runtime_error("sim failed (exit " + std::to_string(result.exit_code) + "): " + result.out);
  }
  return SimSummary(result.out);
}

nlohmann::json SimSummary(const std::string& out) {
  // The summary is the last line that parses as a JSON object.
  std::istringstream lines(out);
  nlohmann::json summary;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] == '{') summary = nlohmann::json::parse(line);
  }
  return summary;
}

bool WaitForVerification(const std::string& db, std::chrono::milliseconds timeout) {
  return WaitUntil([&] { return store::Database(db).QueryInt("SELECT count(*) FROM taps WHERE assessed = 0") == 0; },
                   timeout);
}

bool WaitForAlarms(const std::string& db, std::chrono::milliseconds timeout) {
  return WaitUntil([&] {
    return store::Database(db).QueryInt(
               "SELECT (SELECT telemetry_id FROM alarm_cursor) >= (SELECT coalesce(max(id), 0) FROM telemetry)") == 1;
  }, timeout);
}

DbCounts WaitForRows(const std::string& db, std::int64_t taps, std::int64_t telemetry,
                     std::int64_t rejected, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  DbCounts stored = CountRows(db);
  while ((stored.taps < taps || stored.telemetry < telemetry || stored.rejected < rejected) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stored = CountRows(db);
  }
  return stored;
}

DbCounts CountRows(const std::string& db_path) {
  store::Database db(db_path);
  DbCounts counts;
  counts.taps = db.QueryInt("SELECT count(*) FROM taps");
  counts.telemetry = db.QueryInt("SELECT count(*) FROM telemetry");
  counts.rejected = db.QueryInt("SELECT count(*) FROM rejected_messages");
  auto s = db.Prepare("SELECT reason, count(*) FROM rejected_messages GROUP BY reason");
  while (s.Step()) counts.rejected_by_reason[s.Text(0)] = s.Int(1);
  return counts;
}

}  // namespace fieldproof::testing
