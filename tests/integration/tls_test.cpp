// TLS, client certificates and ACLs, end to end: mosquitto with ops/mosquitto-tls.conf (its
// intake listener and its handhelds' WebSocket listener) and certificates from
// ops/make-certs.sh, the gateway connected over TLS with its own two
// certificates, handhelds played by mosquitto_pub / mosquitto_sub / mosquitto_rr and the
// simulator. Every refusal is asserted where an operator would see it: the broker's log,
// the gateway's log and /metrics, or `fieldproof rejected`. The broker names every client
// after its certificate, so the client ids in its log are CNs whatever a client sent.
#include <gtest/gtest.h>
#include <mqtt/client.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <thread>

#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

using namespace std::chrono_literals;

// Every test publishes its own msg_id, so what it looks for in the database is its own.
std::string TapPayload(const std::string& device_id, const std::string& msg_id) {
  auto tap = nlohmann::json::parse(
      ReadText(std::string(FIELDPROOF_SOURCE_DIR) + "/schemas/examples/tap/valid/end-fail-defects-offset.json"));
  tap["device_id"] = device_id;
  tap["msg_id"] = msg_id;
  return tap.dump();
}

std::string TapTopicOf(const std::string& device_id) { return "fieldproof/v1/FRA/tap/" + device_id; }

class TlsTest : public ::testing::Test {
 protected:
  // One broker, one gateway and one set of certificates for the suite: making keys is the
  // slow part.
  static void SetUpTestSuite() {
    dir_ = new ScratchDir();
    certs_ = *dir_ / "certs";
    MakeCerts({certs_, "--simulator", "HH-0042", "HH-0043", "HH-0099"});
    // Same names, another CA: what a forger with his own openssl would make.
    MakeCerts({*dir_ / "rogue", "HH-0042", "HH-0043"});
    port_ = FreeLoopbackPort();
    StartBroker();
    StartGateway();
    const auto token = RunToCompletion(
        {FIELDPROOF_CLI_BIN, "--db", Db(), "token", "create", "--name", "ops", "--role", "admin"}, *dir_);
    if (token.exit_code != 0) throw std::runtime_error("token create failed: " + token.out);
    admin_token_ = token.out.substr(0, token.out.find('\n'));
  }

  // The gateway as an operator runs it with TLS: its two certificates by their default
  // names, the client id by default (fieldproof-gateway, the certificate's CN).
  static void StartGateway() {
    const std::string log = *dir_ / ("gateway-" + std::to_string(++gateway_starts_) + ".log");
    gateway_ = new Process({FIELDPROOF_GATEWAY_BIN, "--db", Db(), "--broker", BrokerUri(), "--tls-ca",
                            certs_ + "/ca.crt", "--tls-cert", Client("fieldproof-gateway") + ".crt", "--tls-key",
                            Client("fieldproof-gateway") + ".key", "--stats-interval", "0", "--log-level",
                            "debug", "--http-port", "0"},
                           log);
    if (!WaitForText(log, "subscribed to", 20s)) {
      throw std::runtime_error("gateway did not subscribe over TLS: " + ReadText(log));
    }
  }

  static std::string GatewayLog() { return gateway_->log_file(); }

  // A counter from the gateway's /metrics.
  static std::int64_t Metric(const std::string& name) {
    const auto metrics = HttpGet(HttpPortInLog(GatewayLog()), "/metrics", admin_token_);
    const auto at = metrics.body.find("\n" + name + " ");
    if (metrics.status != 200 || at == std::string::npos) {
      throw std::runtime_error("no " + name + " in /metrics: " + metrics.body);
    }
    return std::stoll(metrics.body.substr(at + name.size() + 2));
  }

  // The broker's log from `offset` on: what one test's clients caused.
  static std::string BrokerLogSince(std::size_t offset) { return ReadText(BrokerLog()).substr(offset); }

  static void TearDownTestSuite() {
    delete gateway_;
    delete broker_;
    delete dir_;
  }

  static void MakeCerts(std::vector<std::string> args) {
    args.insert(args.begin(), std::string(FIELDPROOF_SOURCE_DIR) + "/ops/make-certs.sh");
    const auto made = RunToCompletion(args, *dir_);
    if (made.exit_code != 0) throw std::runtime_error("make-certs.sh failed: " + made.out);
  }

  // ops/mosquitto-tls.conf as shipped, with the blanks filled in; the plugin's file made
  // as docs/handheld.md says.
  static void StartBroker() {
    const auto dynsec = RunToCompletion({MOSQUITTO_CTRL_BIN, "dynsec", "init", *dir_ / "dynsec.json",
                                         "admin", "admin-password-for-this-test"},
                                        *dir_);
    if (dynsec.exit_code != 0) throw std::runtime_error("mosquitto_ctrl dynsec init: " + dynsec.out);
    std::ofstream(BrokerAdminFile()) << "admin:admin-password-for-this-test\n";
    std::filesystem::permissions(BrokerAdminFile(), std::filesystem::perms::owner_read);
    devices_port_ = FreeLoopbackPort();
    std::string conf = ReadText(std::string(FIELDPROOF_SOURCE_DIR) + "/ops/mosquitto-tls.conf");
    conf = std::regex_replace(conf, std::regex("@RUN_DIR@"), dir_->path().string());
    conf = std::regex_replace(conf, std::regex("@CERT_DIR@"), certs_);
    conf = std::regex_replace(conf, std::regex("@ADDRESS@"), "127.0.0.1");
    conf = std::regex_replace(conf, std::regex("@PORT@"), std::to_string(port_));
    conf = std::regex_replace(conf, std::regex("@DEVICES_PORT@"), std::to_string(devices_port_));
    conf = std::regex_replace(conf, std::regex("@DYNSEC_FILE@"), *dir_ / "dynsec.json");
    conf = std::regex_replace(conf, std::regex("/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so"),
                              MOSQUITTO_DYNSEC_PLUGIN);
    const passwd* me = ::getpwuid(::geteuid());  // As root, mosquitto would become "mosquitto".
    conf += std::string("user ") + (me ? me->pw_name : "root") + "\n";
    std::ofstream(*dir_ / "mosquitto.conf") << conf;
    broker_ = new Process({MOSQUITTO_BIN, "-c", *dir_ / "mosquitto.conf"}, BrokerLog());
    if (!WaitForText(BrokerLog(), "listen socket on port " + std::to_string(port_), 10s)) {
      throw std::runtime_error("mosquitto did not start: " + ReadText(BrokerLog()));
    }
  }

  static std::string BrokerUri() { return "ssl://127.0.0.1:" + std::to_string(port_); }
  static std::string DevicesUri() { return "ws://127.0.0.1:" + std::to_string(devices_port_); }
  static std::string BrokerAdminFile() { return *dir_ / "broker-admin"; }
  static std::string BrokerLog() { return *dir_ / "mosquitto.log"; }
  static std::string Db() { return *dir_ / "fieldproof.db"; }
  static std::string Client(const std::string& cn, const std::string& certs = certs_) {
    return certs + "/clients/" + cn;
  }

  // mosquitto_pub at QoS 1 with `cert_base`.crt/.key (none when empty); its exit code and output.
  static RunResult Publish(const std::string& client_id, const std::string& cert_base, const std::string& topic,
                           const std::string& payload) {
    std::vector<std::string> argv = {MOSQUITTO_PUB_BIN, "-h", "127.0.0.1", "-p", std::to_string(port_),
                                     "--cafile", certs_ + "/ca.crt", "-i", client_id, "-q", "1",
                                     "-t", topic, "-m", payload};
    if (!cert_base.empty()) {
      argv.insert(argv.end(), {"--cert", cert_base + ".crt", "--key", cert_base + ".key"});
    }
    return RunToCompletion(argv, *dir_);
  }

  // mosquitto_sub with `cn`'s certificate (so as client `cn`), until it has one message;
  // subscribed when this returns. Its output reaches its log when it exits (stdio buffers).
  static std::unique_ptr<Process> Subscribe(const std::string& cn, const std::string& filter) {
    const std::string client_id = cn;
    auto sub = std::make_unique<Process>(
        std::vector<std::string>{MOSQUITTO_SUB_BIN, "-h", "127.0.0.1", "-p", std::to_string(port_), "--cafile",
                                 certs_ + "/ca.crt", "--cert", Client(cn) + ".crt", "--key", Client(cn) + ".key",
                                 "-i", client_id, "-q", "1", "-t", filter, "-v", "-C", "1"},
        *dir_ / (client_id + ".log"));
    if (!WaitForText(BrokerLog(), "Sending SUBACK to " + client_id, 10s)) {
      throw std::runtime_error("no SUBACK for " + client_id + ": " + ReadText(BrokerLog()));
    }
    return sub;
  }

  static std::int64_t Count(const std::string& table, const std::string& msg_id) {
    store::Database db(Db());
    auto s = db.Prepare("SELECT count(*) FROM " + table + " WHERE msg_id = ?");
    s.Bind(1, msg_id);
    s.Step();
    return s.Int(0);
  }

  static bool WaitForRow(const std::string& table, const std::string& msg_id) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Count(table, msg_id) > 0) return true;
      std::this_thread::sleep_for(25ms);
    }
    return false;
  }

  // A refused message must not be merely late: once a later, allowed tap from HH-0043 is
  // stored, everything published before it has been through the gateway.
  static void ExpectNothingStoredFor(const std::string& msg_id, const std::string& sentinel_msg_id) {
    ASSERT_EQ(Publish("sentinel", Client("HH-0043"), TapTopicOf("HH-0043"), TapPayload("HH-0043", sentinel_msg_id))
                  .exit_code,
              0);
    ASSERT_TRUE(WaitForRow("taps", sentinel_msg_id));
    EXPECT_EQ(Count("taps", msg_id), 0);
    EXPECT_EQ(Count("rejected_messages", msg_id), 0);
  }

  static inline ScratchDir* dir_ = nullptr;
  static inline std::string certs_;
  static inline int port_ = 0;
  static inline int devices_port_ = 0;
  static inline Process* broker_ = nullptr;
  static inline Process* gateway_ = nullptr;
  static inline int gateway_starts_ = 0;
  static inline std::string admin_token_;
};

// The production file's second listener: a handheld running the app gets its own account
// there (`fieldproof device enrol`), and its taps reach the gateway as a certificate
// holder's do; a wrong password is refused.
TEST_F(TlsTest, AHandheldOnTheWebSocketListenerPublishesWithItsOwnAccount) {
  std::ofstream(*dir_ / "devices.csv") << "device_id,site,company\nHH-0201,FRA,ACME-FIRE\n";
  ASSERT_EQ(RunToCompletion({FIELDPROOF_CLI_BIN, "--db", Db(), "import", "devices", *dir_ / "devices.csv"}, *dir_)
                .exit_code,
            0);
  const auto enrolled = RunToCompletion(
      {FIELDPROOF_CLI_BIN, "--db", Db(), "device", "enrol", "HH-0201", "--site", "FRA",
       "--print-credentials", "--devices-broker", DevicesUri(), "--broker-admin-file", BrokerAdminFile()},
      *dir_);
  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.out;
  const auto credentials = nlohmann::json::parse(enrolled.out.substr(0, enrolled.out.rfind('}') + 1));
  auto login = [&](const std::string& password) {
    return mqtt::connect_options_builder()
        .user_name("HH-0201")
        .password(password)
        .clean_session(true)
        .connect_timeout(5s)
        .finalize();
  };
  mqtt::client handheld(DevicesUri(), "HH-0201");
  EXPECT_THROW(handheld.connect(login("wrong")), mqtt::exception);
  handheld.connect(login(credentials["mqtt"]["password"]));
  handheld.publish(mqtt::make_message(TapTopicOf("HH-0201"), TapPayload("HH-0201", "01JDB2R7T4V8W2X6Y0Z3A5B9W1"), 1, false));
  EXPECT_TRUE(WaitForRow("taps", "01JDB2R7T4V8W2X6Y0Z3A5B9W1"));
  handheld.disconnect();
}

TEST_F(TlsTest, CertificateFilesAreMadeOnceAndKeysArePrivate) {
  const std::string ca_before = ReadText(certs_ + "/ca.crt");
  MakeCerts({certs_, "HH-0042"});  // Again: nothing replaced.
  EXPECT_EQ(ReadText(certs_ + "/ca.crt"), ca_before);
  for (const std::string& key : {certs_ + "/ca.key", certs_ + "/broker.key", Client("HH-0042") + ".key"}) {
    EXPECT_EQ(std::filesystem::status(key).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)
        << key;
  }
  EXPECT_NE(ReadText(certs_ + "/acl").find("pattern write fieldproof/v1/+/tap/%u"), std::string::npos);
  // The gateway's two connections have identities of their own; nobody else may take theirs.
  EXPECT_TRUE(std::filesystem::exists(Client("fieldproof-gateway-notices") + ".crt"));
  EXPECT_NE(ReadText(certs_ + "/acl").find("user fieldproof-gateway-notices\ntopic write"), std::string::npos);
  const auto reserved = RunToCompletion(
      {std::string(FIELDPROOF_SOURCE_DIR) + "/ops/make-certs.sh", certs_, "fieldproof-gateway-2"}, *dir_);
  EXPECT_NE(reserved.exit_code, 0);
  EXPECT_NE(reserved.out.find("is reserved"), std::string::npos) << reserved.out;
}

TEST_F(TlsTest, HandheldWithItsOwnCertificateIsStoredUnderItsOwnName) {
  const auto log_before = ReadText(BrokerLog()).size();
  const auto pub = Publish("hh-0042-own", Client("HH-0042"), TapTopicOf("HH-0042"),
                           TapPayload("HH-0042", "01JDB2R7T4V8W2X6Y0Z3A5B901"));
  ASSERT_EQ(pub.exit_code, 0) << pub.out;
  EXPECT_TRUE(WaitForRow("taps", "01JDB2R7T4V8W2X6Y0Z3A5B901"));
  // The id it sent is replaced by its certificate's CN.
  EXPECT_NE(BrokerLogSince(log_before).find("as HH-0042 (p2, c1, k60, u'HH-0042')"), std::string::npos)
      << BrokerLogSince(log_before);
  EXPECT_EQ(BrokerLogSince(log_before).find("hh-0042-own"), std::string::npos);
}

// Issue 17, finding 1: a handheld connecting with the gateway's client id and a clean
// session threw the gateway out and discarded the messages queued for it while it was away.
// Now the broker names the handheld after its certificate: the gateway's session, and every
// message in it, is untouched.
TEST_F(TlsTest, AHandheldCannotTakeOverTheGatewaysSession) {
  gateway_->Signal(SIGTERM);
  ASSERT_EQ(gateway_->Wait(20s), 0);
  delete gateway_;
  gateway_ = nullptr;
  std::vector<std::string> queued;
  for (int i = 0; i < 20; ++i) {  // Published while the gateway is away: queued in its session.
    queued.push_back("01JDB2R7T4V8W2X6Y0Z3A5C1" + std::string(i < 10 ? "0" : "") + std::to_string(i));
    ASSERT_EQ(Publish("hh-0043-away", Client("HH-0043"), TapTopicOf("HH-0043"), TapPayload("HH-0043", queued.back()))
                  .exit_code,
              0);
  }
  const auto log_before = ReadText(BrokerLog()).size();
  // The attack: HH-0042's certificate, the gateway's client id, a clean session.
  const auto attack = Publish("fieldproof-gateway", Client("HH-0042"), TapTopicOf("HH-0042"),
                              TapPayload("HH-0042", "01JDB2R7T4V8W2X6Y0Z3A5C099"));
  ASSERT_EQ(attack.exit_code, 0) << attack.out;
  const std::string seen = BrokerLogSince(log_before);
  EXPECT_NE(seen.find("as HH-0042 (p2, c1, k60, u'HH-0042')"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("as fieldproof-gateway"), std::string::npos) << seen;

  StartGateway();
  for (const auto& msg_id : queued) EXPECT_TRUE(WaitForRow("taps", msg_id)) << msg_id << " was lost";
  EXPECT_EQ(ReadText(GatewayLog()).find("the broker had no session"), std::string::npos);
}

// The gateway's own certificate in a second process (a second gateway started by mistake,
// or its key in other hands) does take the session over; the gateway says so loudly, in its
// log and in /metrics, and again when it finds the session gone.
TEST_F(TlsTest, GatewayNoticesWhenItsSessionIsTakenOverAndComesBackEmpty) {
  const auto takeovers = Metric("fieldproof_mqtt_session_takeovers_total");
  const auto lost = Metric("fieldproof_mqtt_sessions_lost_total");
  const auto log_before = ReadText(GatewayLog()).size();
  const auto broker_log_before = ReadText(BrokerLog()).size();
  const auto intruder = Publish("anything", Client("fieldproof-gateway"), TapTopicOf("HH-0042"), "{}");
  ASSERT_EQ(intruder.exit_code, 0) << intruder.out;

  ASSERT_TRUE(WaitForText(GatewayLog(), "another client connected as fieldproof-gateway (session taken over)", 10s))
      << ReadText(GatewayLog()).substr(log_before);
  // The intruder's clean session discarded ours: the gateway finds none when it is back.
  ASSERT_TRUE(WaitForText(GatewayLog(), "the broker had no session for fieldproof-gateway", 20s))
      << ReadText(GatewayLog()).substr(log_before);
  const std::string lines = ReadText(GatewayLog()).substr(log_before);
  EXPECT_NE(lines.find("error mqtt: the broker closed our intake connection"), std::string::npos) << lines;
  EXPECT_EQ(Metric("fieldproof_mqtt_session_takeovers_total"), takeovers + 1);
  EXPECT_EQ(Metric("fieldproof_mqtt_sessions_lost_total"), lost + 1);
  // ...and takes messages again once the broker has its new subscription.
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (BrokerLogSince(broker_log_before).find("Sending SUBACK to fieldproof-gateway") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(25ms);
  }
  ASSERT_EQ(Publish("after", Client("HH-0043"), TapTopicOf("HH-0043"), TapPayload("HH-0043", "01JDB2R7T4V8W2X6Y0Z3A5C198"))
                .exit_code,
            0);
  EXPECT_TRUE(WaitForRow("taps", "01JDB2R7T4V8W2X6Y0Z3A5C198"));
}

TEST_F(TlsTest, AnotherHandheldsCertificateIsDeniedByTheBrokersAcl) {
  // HH-0042's certificate, HH-0043's topic and a payload that names HH-0043 consistently:
  // only the broker can tell, from the certificate, that this is not HH-0043.
  const auto pub = Publish("hh-0042-posing", Client("HH-0042"), TapTopicOf("HH-0043"),
                           TapPayload("HH-0043", "01JDB2R7T4V8W2X6Y0Z3A5B902"));
  EXPECT_EQ(pub.exit_code, 0) << pub.out;  // MQTT 3.1.1 has no way to say "denied" on a PUBACK.
  EXPECT_TRUE(WaitForText(BrokerLog(),
                          "Denied PUBLISH from HH-0042 (d0, q1, r0, m1, 'fieldproof/v1/FRA/tap/HH-0043'", 5s))
      << ReadText(BrokerLog());
  ExpectNothingStoredFor("01JDB2R7T4V8W2X6Y0Z3A5B902", "01JDB2R7T4V8W2X6Y0Z3A5B912");
}

TEST_F(TlsTest, DeniedPublishIsReportedToAnMqtt5Client) {
  const std::string payload = TapPayload("HH-0043", "01JDB2R7T4V8W2X6Y0Z3A5B903");
  const auto pub = RunToCompletion(
      {MOSQUITTO_PUB_BIN, "-V", "mqttv5", "-h", "127.0.0.1", "-p", std::to_string(port_), "--cafile",
       certs_ + "/ca.crt", "--cert", Client("HH-0042") + ".crt", "--key", Client("HH-0042") + ".key", "-i",
       "hh-0042-v5", "-q", "1", "-t", TapTopicOf("HH-0043"), "-m", payload},
      *dir_);
  EXPECT_NE(pub.out.find("Not authorized"), std::string::npos) << pub.out;
  EXPECT_TRUE(WaitForText(BrokerLog(), "Denied PUBLISH from HH-0042", 5s));
  ExpectNothingStoredFor("01JDB2R7T4V8W2X6Y0Z3A5B903", "01JDB2R7T4V8W2X6Y0Z3A5B913");
}

TEST_F(TlsTest, NoClientCertificateFailsTheHandshake) {
  const auto pub = Publish("no-cert", "", TapTopicOf("HH-0042"), TapPayload("HH-0042", "01JDB2R7T4V8W2X6Y0Z3A5B904"));
  EXPECT_NE(pub.exit_code, 0) << pub.out;
  EXPECT_TRUE(WaitForText(BrokerLog(), "peer did not return a certificate", 5s)) << ReadText(BrokerLog());
  EXPECT_TRUE(WaitForText(BrokerLog(), "Client <unknown> disconnected: Protocol error.", 1s));
  EXPECT_EQ(ReadText(BrokerLog()).find("as no-cert"), std::string::npos);  // Never got to MQTT.
  ExpectNothingStoredFor("01JDB2R7T4V8W2X6Y0Z3A5B904", "01JDB2R7T4V8W2X6Y0Z3A5B914");
}

TEST_F(TlsTest, CertificateFromAnotherCaFailsTheHandshake) {
  const auto pub = Publish("rogue", Client("HH-0042", *dir_ / "rogue"), TapTopicOf("HH-0042"),
                           TapPayload("HH-0042", "01JDB2R7T4V8W2X6Y0Z3A5B905"));
  EXPECT_NE(pub.exit_code, 0) << pub.out;
  EXPECT_TRUE(WaitForText(BrokerLog(), "certificate verify failed", 5s)) << ReadText(BrokerLog());
  EXPECT_EQ(ReadText(BrokerLog()).find("as rogue"), std::string::npos);
  ExpectNothingStoredFor("01JDB2R7T4V8W2X6Y0Z3A5B905", "01JDB2R7T4V8W2X6Y0Z3A5B915");
}

TEST_F(TlsTest, PayloadNamingAnotherDeviceIsRejectedByTheGatewayAndTheSenderIsTold) {
  const auto others_notices = Subscribe("HH-0043", "fieldproof/v1/FRA/tap/+/notice");
  // Allowed by the ACL (HH-0042's own topic), but the payload speaks for HH-0043. One
  // connection publishes and waits for the notice, as a handheld does (one certificate, one
  // connection): mosquitto_rr.
  const auto told = RunToCompletion(
      {MOSQUITTO_RR_BIN, "-h", "127.0.0.1", "-p", std::to_string(port_), "--cafile", certs_ + "/ca.crt", "--cert",
       Client("HH-0042") + ".crt", "--key", Client("HH-0042") + ".key", "-q", "1", "-W", "10", "-t",
       TapTopicOf("HH-0042"), "-e", TapTopicOf("HH-0042") + "/notice", "-m",
       TapPayload("HH-0043", "01JDB2R7T4V8W2X6Y0Z3A5B906")},
      *dir_);
  ASSERT_TRUE(WaitForRow("rejected_messages", "01JDB2R7T4V8W2X6Y0Z3A5B906"));
  EXPECT_EQ(Count("taps", "01JDB2R7T4V8W2X6Y0Z3A5B906"), 0);

  const auto rejected = RunToCompletion({FIELDPROOF_CLI_BIN, "--db", Db(), "rejected"}, *dir_);
  ASSERT_EQ(rejected.exit_code, 0) << rejected.out;
  EXPECT_NE(rejected.out.find("topic_mismatch"), std::string::npos) << rejected.out;
  EXPECT_NE(rejected.out.find("fieldproof/v1/FRA/tap/HH-0042"), std::string::npos) << rejected.out;

  // The handheld hears about it on its own notice topic; the other handheld, subscribed to
  // every handheld's notices, is given none of HH-0042's (the ACL's read pattern).
  EXPECT_EQ(told.exit_code, 0) << told.out;
  EXPECT_NE(told.out.find("topic_mismatch"), std::string::npos) << told.out;
  const std::string notice_topic = "'" + TapTopicOf("HH-0042") + "/notice'";
  EXPECT_TRUE(WaitForText(BrokerLog(), "Sending PUBLISH to HH-0042 (d0, q1, r0, m1, " + notice_topic, 1s));
  EXPECT_EQ(ReadText(BrokerLog()).find("Sending PUBLISH to HH-0043 (d0, q1, r0, m1, " + notice_topic),
            std::string::npos);
  EXPECT_FALSE(others_notices->Wait(0ms).has_value());  // Still waiting for its first message.
}

TEST_F(TlsTest, RevokedCertificateIsRefusedAfterTheBrokerReloads) {
  const std::string revoked_copy = *dir_ / "HH-0099";
  std::filesystem::copy_file(Client("HH-0099") + ".crt", revoked_copy + ".crt");
  std::filesystem::copy_file(Client("HH-0099") + ".key", revoked_copy + ".key");
  ASSERT_EQ(Publish("hh-0099-before", revoked_copy, TapTopicOf("HH-0099"),
                    TapPayload("HH-0099", "01JDB2R7T4V8W2X6Y0Z3A5B907"))
                .exit_code,
            0);
  ASSERT_TRUE(WaitForRow("taps", "01JDB2R7T4V8W2X6Y0Z3A5B907"));

  MakeCerts({"revoke", certs_, "HH-0099"});
  EXPECT_FALSE(std::filesystem::exists(Client("HH-0099") + ".crt"));
  broker_->Signal(SIGHUP);  // Mosquitto reads the CRL again.
  ASSERT_TRUE(WaitForText(BrokerLog(), "Reloading config.", 5s));

  const auto log_before = ReadText(BrokerLog()).size();
  const auto pub = Publish("hh-0099-after", revoked_copy, TapTopicOf("HH-0099"),
                           TapPayload("HH-0099", "01JDB2R7T4V8W2X6Y0Z3A5B908"));
  EXPECT_NE(pub.exit_code, 0) << pub.out;
  EXPECT_NE(ReadText(BrokerLog()).substr(log_before).find("certificate verify failed"), std::string::npos)
      << ReadText(BrokerLog());
  ExpectNothingStoredFor("01JDB2R7T4V8W2X6Y0Z3A5B908", "01JDB2R7T4V8W2X6Y0Z3A5B918");
}

TEST_F(TlsTest, SimulatorPublishesOverTlsWithItsOwnCertificate) {
  // Everything that reached the gateway: telemetry of assets nobody imported is kept as
  // rejected (unknown_asset), which is as good a proof of arrival here.
  const std::string arrived =
      "SELECT (SELECT count(*) FROM taps) + (SELECT count(*) FROM telemetry) + "
      "(SELECT count(*) FROM rejected_messages)";
  store::Database db(Db());
  const auto before = db.QueryInt(arrived);
  std::vector<std::string> argv = {FIELDPROOF_SIM_BIN, "run", "--broker", BrokerUri(), "--tls-ca",
                                   certs_ + "/ca.crt", "--tls-cert", Client("fieldproof-sim") + ".crt",
                                   "--tls-key", Client("fieldproof-sim") + ".key", "--master-key", kMasterKey,
                                   "--messages", "40", "--no-repairs"};
  const auto site = SiteArgs();
  argv.insert(argv.end(), site.begin(), site.end());
  const auto sim = RunToCompletion(argv, *dir_);
  ASSERT_EQ(sim.exit_code, 0) << sim.out;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (db.QueryInt(arrived) < before + 40 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(25ms);
  }
  EXPECT_EQ(db.QueryInt(arrived), before + 40);
  EXPECT_TRUE(WaitForText(BrokerLog(), "u'fieldproof-sim'", 1s));
  EXPECT_EQ(ReadText(BrokerLog()).find("Denied PUBLISH from fieldproof-sim"), std::string::npos);
}

TEST_F(TlsTest, GatewayThatCannotConnectSaysWhyAndWithWhichFiles) {
  // The rogue CA does not know the broker: the gateway refuses the broker's certificate.
  const std::string log = *dir_ / "gateway-wrong-ca.log";
  Process gateway({FIELDPROOF_GATEWAY_BIN, "--db", *dir_ / "other.db", "--broker", BrokerUri(), "--tls-ca",
                   *dir_ / "rogue/ca.crt", "--tls-cert", Client("fieldproof-gateway") + ".crt", "--tls-key",
                   Client("fieldproof-gateway") + ".key", "--stats-interval", "0", "--no-http"},
                  log);
  // One line: what OpenSSL said and which files (the notices connection's, which connects first).
  const std::string files = "(CA " + *dir_ / "rogue/ca.crt" + ", certificate " +
                            Client("fieldproof-gateway-notices") + ".crt, key " +
                            Client("fieldproof-gateway-notices") + ".key)";
  ASSERT_TRUE(WaitForText(log, files, 10s)) << ReadText(log);
  const std::string text = ReadText(log);
  const auto line_start = text.rfind('\n', text.find(files)) + 1;
  const std::string line = text.substr(line_start, text.find('\n', line_start) - line_start);
  EXPECT_NE(line.find("error mqtt: TLS: "), std::string::npos) << line;
  EXPECT_NE(line.find("certificate verify failed"), std::string::npos) << line;
  EXPECT_EQ(ReadText(log).find("subscribed to"), std::string::npos);
  gateway.Signal(SIGTERM);
  EXPECT_EQ(gateway.Wait(10s), 0);
}

TEST_F(TlsTest, ClientIdThatIsNotTheCertificatesNameIsAConfigurationError) {
  const auto result = RunToCompletion({FIELDPROOF_GATEWAY_BIN, "--db", *dir_ / "named.db", "--broker", BrokerUri(),
                                       "--tls-ca", certs_ + "/ca.crt", "--tls-cert",
                                       Client("fieldproof-gateway") + ".crt", "--tls-key",
                                       Client("fieldproof-gateway") + ".key", "--client-id", "gateway-b",
                                       "--no-http"},
                                      *dir_);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("client id gateway-b is not the CN of"), std::string::npos) << result.out;
}

TEST_F(TlsTest, TlsFilesWithAPlainBrokerAreAConfigurationError) {
  const auto result = RunToCompletion({FIELDPROOF_GATEWAY_BIN, "--db", *dir_ / "plain.db", "--broker",
                                       "tcp://127.0.0.1:" + std::to_string(port_), "--tls-ca", certs_ + "/ca.crt",
                                       "--no-http"},
                                      *dir_);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.out.find("is not ssl://"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace fieldproof::testing
