// The app over HTTPS, as a site serves it (docs/handheld.md): Debian's nginx with the shipped
// ops/nginx-fieldproof.conf, blanks filled in, in front of a real gateway and mosquitto's
// device listener, with a certificate from ops/make-certs.sh. Chromium trusts that
// certificate (as a handheld trusts the site's), sets the handheld up over https://, connects
// over wss://…/mqtt through nginx, inspects, sees the verdict, and starts again from its
// service worker (tests/browser/handheld_https.test.mjs).
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <regex>

#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

using namespace std::chrono_literals;

std::string Fill(std::string text, const std::map<std::string, std::string>& blanks) {
  for (const auto& [name, value] : blanks) text = std::regex_replace(text, std::regex(name), value);
  return text;
}

// The site's server block inside the little main configuration nginx needs to run as this
// user in a scratch folder.
std::string NginxConf(const ScratchDir& dir, const std::string& site_conf) {
  const passwd* me = ::getpwuid(::geteuid());
  std::string conf = "daemon off;\npid " + dir / "nginx.pid" + ";\nerror_log " + dir / "nginx-error.log" + " info;\n";
  if (::geteuid() == 0) conf += std::string("user ") + (me ? me->pw_name : "root") + ";\n";
  conf += "events {}\nhttp {\n  access_log " + dir / "nginx-access.log" + ";\n";
  for (const char* temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
    conf += std::string("  ") + temp + "_temp_path " + dir / (std::string("nginx-") + temp) + ";\n";
  }
  return conf + "  include " + site_conf + ";\n}\n";
}

// What Chromium's --ignore-certificate-errors-spki-list wants: the key's SHA-256, base64.
std::string SpkiHash(const ScratchDir& dir, const std::string& cert) {
  const auto hashed = RunToCompletion(
      {"/bin/sh", "-c",
       "openssl x509 -pubkey -noout -in " + cert +
           " | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | openssl base64"},
      dir);
  return hashed.out.substr(0, hashed.out.find('\n'));
}

TEST(HttpsTest, TheAppWorksOverHttpsThroughTheShippedNginxConfig) {
  ScratchDir dir;
  const auto certs = RunToCompletion({std::string(FIELDPROOF_SOURCE_DIR) + "/ops/make-certs.sh", dir / "certs"}, dir);
  ASSERT_EQ(certs.exit_code, 0) << certs.out;
  const int https_port = FreeLoopbackPort();
  const std::string origin = "127.0.0.1:" + std::to_string(https_port);
  HandheldSite site(dir, {"--devices-url", "wss://" + origin + "/mqtt"});

  const std::string site_conf = dir / "fieldproof-site.conf";
  std::ofstream(site_conf) << Fill(ReadText(std::string(FIELDPROOF_SOURCE_DIR) + "/ops/nginx-fieldproof.conf"),
                                   {{"@SERVER_NAME@", "127.0.0.1"},
                                    {"@LISTEN@", origin},
                                    {"@CERT@", dir / "certs/broker.crt"},
                                    {"@KEY@", dir / "certs/broker.key"},
                                    {"@HTTP_PORT@", std::to_string(site.gateway->HttpPort())},
                                    {"@DEVICES_PORT@", std::to_string(site.broker.devices_port())}});
  std::ofstream(dir / "nginx.conf") << NginxConf(dir, site_conf);
  Process nginx({NGINX_BIN, "-p", dir.path().string(), "-c", dir / "nginx.conf"}, dir / "nginx.out");
  ASSERT_TRUE(WaitUntil([&] { return HttpGet(site.gateway->HttpPort(), "/healthz").status == 200 &&
                                     ReadText(dir / "nginx-error.log").find("start worker process") != std::string::npos; },
                        20s))
      << ReadText(dir / "nginx.out") << ReadText(dir / "nginx-error.log");

  crypto::TagEmulator tag(site.shutter.tag);
  std::mt19937 rng(5);
  const auto run = RunToCompletion(
      {FIELDPROOF_NODE, std::string(FIELDPROOF_SOURCE_DIR) + "/tests/browser/handheld_https.test.mjs",
       "https://" + origin, site.code, HandheldSite::kTechnician, HandheldSite::kPin,
       SpkiHash(dir, dir / "certs/broker.crt"), *tag.Read(rng), *tag.Read(rng)},
      dir);
  std::cout << run.out;
  EXPECT_EQ(run.exit_code, 0) << run.out << ReadText(dir / "nginx-error.log");
  EXPECT_NE(run.out.find(" 0 failed"), std::string::npos);
  EXPECT_NE(ReadText(dir / "nginx-access.log").find("GET /mqtt HTTP/1.1\" 101"), std::string::npos)
      << "the handheld's MQTT went through nginx: " << ReadText(dir / "nginx-access.log");
  nginx.Signal(SIGQUIT);
  nginx.Wait(10s);
  EXPECT_EQ(site.gateway->Stop(), 0);
}

}  // namespace
}  // namespace fieldproof::testing
