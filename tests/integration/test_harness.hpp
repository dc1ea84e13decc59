#pragma once
// Real processes for end-to-end tests: a mosquitto broker on a free loopback port,
// the gateway, the simulator and the CLI, each in a scratch folder that is removed
// afterwards (kept when FIELDPROOF_KEEP_TEST_DIRS is set, for post-mortems).
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/messages.hpp"
#include "gateway/crypto/tag_emulator.hpp"

namespace fieldproof::testing {

class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

int FreeLoopbackPort();

class Process {
 public:
  // Starts argv[0] with stdout and stderr appended to `log_file`, stdin from `stdin_file`.
  Process(std::vector<std::string> argv, std::string log_file,
          const std::string& stdin_file = "/dev/null");
  ~Process();  // Kills the process if it is still running.
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  void Signal(int signal) const;
  // Exit code, or -signal when killed; nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  const std::string& log_file() const { return log_file_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_file_;
};

std::string ReadText(const std::string& path);
// Polls `condition` until it holds, or false after `timeout`: tests wait for what they
// need, never for a guessed time.
bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// Polls `path` until it contains `needle`.
bool WaitForText(const std::string& path, const std::string& needle,
                 std::chrono::milliseconds timeout);

// Runs to completion, with `input` on its stdin; returns exit code and captured stdout.
struct RunResult {
  int exit_code;
  std::string out;
};
RunResult RunToCompletion(std::vector<std::string> argv, const ScratchDir& dir,
                          const std::optional<std::string>& input = std::nullopt);

class Broker {
 public:
  enum class Devices { kNone, kWebSockets };
  // `extra_config`: mosquitto.conf lines after the defaults (a later value wins).
  // `devices`: also a WebSocket listener on loopback for handhelds' own accounts, governed by
  // the dynamic-security plugin; its admin's "username:password" is in admin_file().
  explicit Broker(const ScratchDir& dir, std::vector<std::string> extra_config = {},
                  Devices devices = Devices::kNone);
  std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }
  std::string devices_uri() const { return "ws://127.0.0.1:" + std::to_string(devices_port_); }
  int devices_port() const { return devices_port_; }
  std::string admin_file() const { return dir_ / "broker-admin"; }
  void Restart();
  void Signal(int signal) const { process_->Signal(signal); }  // SIGSTOP/SIGCONT: a hung broker.
  pid_t pid() const { return process_->pid(); }

 private:
  void Start();
  const ScratchDir& dir_;
  int port_;
  int devices_port_ = 0;
  std::unique_ptr<Process> process_;
};

// A gateway on its own database, connected to `broker`; started and ready (subscribed).
class Gateway {
 public:
  Gateway(const ScratchDir& dir, const Broker& broker, std::vector<std::string> extra_args = {});
  void Start();
  // SIGTERM, and the exit code of the clean shutdown.
  int Stop();
  // SIGKILL: a crash, with no chance to drain or flush anything.
  void Kill();
  std::string db() const { return db_; }
  const std::string& log() const { return log_; }  // Of the current run.
  int HttpPort() const;  // The API's port (the harness asks for any free one).
  pid_t pid() const { return process_->pid(); }

 private:
  const ScratchDir& dir_;
  const Broker& broker_;
  std::vector<std::string> extra_args_;
  std::string db_;
  std::unique_ptr<Process> process_;
  int starts_ = 0;
  int instance_ = 0;
  std::string log_;
};

// The API's port a gateway started with --http-port 0 logged.
int HttpPortInLog(const std::string& gateway_log);

inline constexpr const char* kMasterKey = "000102030405060708090A0B0C0D0E0F";

// The site every test uses: small and fast. Also imported into `db`.
std::vector<std::string> SiteArgs();
// `site`: the simulator's site options, SiteArgs() unless a test (or bench) needs another.
void ImportSite(const ScratchDir& dir, const std::string& db,
                const std::vector<std::string>& site = SiteArgs());

// What most integration tests start from: a scratch folder, a broker of its own and the
// simulated site (SiteArgs) imported into `db`. A test that needs more calls SetUp first.
class SiteTest : public ::testing::Test {
 protected:
  void SetUp() override { ImportSite(dir, db); }
  ScratchDir dir;
  Broker broker{dir};
  std::string db = dir / "fieldproof.db";
};

struct HttpResult {
  int status = 0;
  std::string body;
  std::string content_type;
};
// One request against the gateway's HTTP server on loopback, with a bearer token unless
// empty; `body` is sent when not empty, as image/png when it starts like a PNG, else as
// JSON. A HEAD response is read without a body.
HttpResult HttpRequest(int port, std::string_view method, const std::string& target,
                       const std::string& token, const std::string& body = "");
inline HttpResult HttpGet(int port, const std::string& target, const std::string& token = "") {
  return HttpRequest(port, "GET", target, token);
}
inline HttpResult HttpPost(int port, const std::string& target, const std::string& token,
                           const std::string& body) {
  return HttpRequest(port, "POST", target, token, body);
}

// The first fire shutter of site FRA in `db` without sensors (no functional-test telemetry to
// fake), and its tag personalised with the test master key, for tests that tap by hand.
struct PlainShutter {
  std::string asset_id;
  crypto::TagEmulator::Config tag;
};
PlainShutter FirstPlainShutter(const std::string& db);

// A tap by hand: handheld HH-0002 of technician T-0002 at FRA reads `sun_url` at `read_at`
// and sends it 300 ms later; an end tap answers the fire shutter's whole checklist with pass.
core::Tap HandTap(std::string msg_id, core::TapKind kind, std::string sun_url,
                  core::UnixMillis read_at);

// A site ready for the handheld app (docs/handheld.md): a broker with its device listener,
// the gateway verifying with a copy of the asset types without a minimum stay, technician
// T-0002 with PIN 2468, handheld HH-0002 enrolled (the one-time code it prints), and the
// first plain fire shutter's tag with the asset id in its URL. For the app's browser test
// and its benchmark.
struct HandheldSite {
  explicit HandheldSite(const ScratchDir& dir, const std::vector<std::string>& gateway_args = {});
  Broker broker;
  std::string db;
  std::unique_ptr<Gateway> gateway;
  std::string code;
  PlainShutter shutter;
  static constexpr const char* kDevice = "HH-0002";
  static constexpr const char* kTechnician = "T-0002";
  static constexpr const char* kPin = "2468";
};

// Writes the test master key to `dir`/master.key, mode 0600 as the gateway demands; its path.
std::string WriteMasterKey(const ScratchDir& dir);
// Writes the test master key to `dir`/master.key and returns the gateway options that turn
// verification on. The simulator runs far faster than real time, so device clocks are not
// corrected.
std::vector<std::string> VerifyingGatewayArgs(const ScratchDir& dir);

// The simulator's command line for `args` against `broker`.
std::vector<std::string> SimArgv(const Broker& broker, std::vector<std::string> args);
// Runs the simulator; returns its JSON summary.
nlohmann::json RunSim(const ScratchDir& dir, const Broker& broker, std::vector<std::string> args);
// The summary `fieldproof-sim run` printed: its last line that is a JSON object.
nlohmann::json SimSummary(const std::string& out);
// Until the gateway has assessed every stored tap.
bool WaitForVerification(const std::string& db, std::chrono::milliseconds timeout = std::chrono::seconds(60));
// Until the alarm worker has read every stored telemetry message.
bool WaitForAlarms(const std::string& db, std::chrono::milliseconds timeout = std::chrono::seconds(60));

// What the database holds, read with plain SQLite.
struct DbCounts {
  std::int64_t taps = 0, telemetry = 0, rejected = 0;
  std::map<std::string, std::int64_t> rejected_by_reason;
};
DbCounts CountRows(const std::string& db);
// Polls until the database holds at least these rows: when the simulator returns, the
// broker has everything, but the gateway may still be taking its backlog.
DbCounts WaitForRows(const std::string& db, std::int64_t taps, std::int64_t telemetry,
                     std::int64_t rejected, std::chrono::seconds timeout = std::chrono::seconds(90));

}  // namespace fieldproof::testing
