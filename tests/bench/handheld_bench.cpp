// The handheld app under measure, in Debian's Chromium against a real gateway and mosquitto
// (docs/performance.md): how long from the end tap to the verdict on the screen while the
// gateway also takes a background load, and how long an outbox of offline taps and photos
// takes to empty once the network is back, until the last verdict is on the screen. The
// NFC reader is injected, as in HandheldAppTest.
//   ops/bench-handheld.sh [ONLINE_INSPECTIONS=200] [OFFLINE_INSPECTIONS=500] [BACKGROUND_MSG_S=7000]
// The background load is a second simulated site (MUC, 30,000 assets, verified too), so its
// handhelds are not the app's. Its technicians are not imported: the generator gives both
// sites the same technician ids, and importing MUC's would take T-0002 off FRA. Its
// inspections go through the whole verifier and come out rejected (no such technician).
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include "tests/integration/test_harness.hpp"

namespace fp = fieldproof;
using fp::testing::HandheldSite;

namespace {

const std::vector<std::string> kBackgroundSite = {"--seed", "9", "--site", "MUC", "--assets", "30000",
                                                  "--buildings", "4", "--floors", "5", "--technicians",
                                                  "40", "--sensor-ratio", "0.2"};

std::unique_ptr<fp::testing::Process> StartBackgroundLoad(const fp::testing::ScratchDir& dir,
                                                          const HandheldSite& site, int rate) {
  if (rate <= 0) return nullptr;
  std::vector<std::string> generate = {FIELDPROOF_SIM_BIN, "generate", "--out", dir / "muc"};
  generate.insert(generate.end(), kBackgroundSite.begin(), kBackgroundSite.end());
  fp::testing::RunToCompletion(generate, dir);
  for (const char* what : {"assets", "devices"}) {
    fp::testing::RunToCompletion(
        {FIELDPROOF_CLI_BIN, "--db", site.db, "import", what, dir / ("muc/" + std::string(what) + ".csv")}, dir);
  }
  std::vector<std::string> argv = {FIELDPROOF_SIM_BIN, "run", "--broker", site.broker.uri(),
                                   "--master-key", fp::testing::kMasterKey, "--client-id", "background",
                                   "--rate", std::to_string(rate), "--no-repairs"};
  argv.insert(argv.end(), kBackgroundSite.begin(), kBackgroundSite.end());
  return std::make_unique<fp::testing::Process>(argv, dir / "background.log");
}

}  // namespace

int main(int argc, char** argv) {
  const int online = argc > 1 ? std::stoi(argv[1]) : 200;
  const int offline = argc > 2 ? std::stoi(argv[2]) : 500;
  const int background = argc > 3 ? std::stoi(argv[3]) : 7000;
  fp::testing::ScratchDir dir;
  HandheldSite site(dir);
  fp::crypto::TagEmulator tag(site.shutter.tag);
  std::mt19937 rng(1);
  const std::string urls = dir / "urls.txt";
  {
    std::ofstream out(urls);
    for (int read = 0; read < 2 * (online + offline); ++read) out << *tag.Read(rng) << "\n";
  }
  const auto load = StartBackgroundLoad(dir, site, background);
  std::cout << "background: " << (background > 0 ? std::to_string(background) + " msg/s offered" : "none")
            << " (site MUC)" << std::endl;
  const std::string log = dir / "bench.out";
  fp::testing::Process node(
      {FIELDPROOF_NODE, std::string(FIELDPROOF_SOURCE_DIR) + "/tests/browser/handheld_app.bench.mjs",
       "http://127.0.0.1:" + std::to_string(site.gateway->HttpPort()), site.code, HandheldSite::kTechnician,
       HandheldSite::kPin, std::to_string(online), std::to_string(offline), urls},
      log);
  const auto code = node.Wait(std::chrono::minutes(30));
  if (load) load->Signal(SIGINT);
  std::cout << fp::testing::ReadText(log);
  if (load) {
    load->Wait(std::chrono::seconds(60));
    const std::string sent = fp::testing::ReadText(dir / "background.log");
    const auto last = sent.rfind("sim: ");
    if (last != std::string::npos) std::cout << "background, last report: " << sent.substr(last);
  }
  site.gateway->Stop();
  const std::string gateway_log = fp::testing::ReadText(site.gateway->log());
  if (const auto final_line = gateway_log.rfind("final: "); final_line != std::string::npos) {
    std::cout << "gateway, " << gateway_log.substr(final_line);  // Did it keep up? queue=0.
  }
  return code == 0 ? 0 : 1;
}
