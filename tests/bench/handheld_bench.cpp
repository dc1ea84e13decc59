// The handheld app under measure, in Debian's Chromium against a real gateway and mosquitto
// (docs/performance.md): how long from the end tap to the verdict on the screen, and how
// long an outbox of offline taps takes to empty once the network is back, until the last
// verdict is on the screen. The NFC reader is injected, as in HandheldAppTest.
//   ops/bench-handheld.sh [ONLINE_INSPECTIONS=100] [OFFLINE_INSPECTIONS=500]
#include <chrono>
#include <fstream>
#include <iostream>
#include <random>
#include <string>

#include "tests/integration/test_harness.hpp"

namespace fp = fieldproof;

int main(int argc, char** argv) {
  const int online = argc > 1 ? std::stoi(argv[1]) : 100;
  const int offline = argc > 2 ? std::stoi(argv[2]) : 500;
  fp::testing::ScratchDir dir;
  fp::testing::HandheldSite site(dir);
  fp::crypto::TagEmulator tag(site.shutter.tag);
  std::mt19937 rng(1);
  const std::string urls = dir / "urls.txt";
  {
    std::ofstream out(urls);
    for (int read = 0; read < 2 * (online + offline); ++read) out << *tag.Read(rng) << "\n";
  }
  const std::string log = dir / "bench.out";
  fp::testing::Process node(
      {FIELDPROOF_NODE, std::string(FIELDPROOF_SOURCE_DIR) + "/tests/browser/handheld_app.bench.mjs",
       "http://127.0.0.1:" + std::to_string(site.gateway->HttpPort()), site.code,
       fp::testing::HandheldSite::kTechnician, fp::testing::HandheldSite::kPin,
       std::to_string(online), std::to_string(offline), urls},
      log);
  const auto code = node.Wait(std::chrono::minutes(30));
  std::cout << fp::testing::ReadText(log);
  site.gateway->Stop();
  return code == 0 ? 0 : 1;
}
