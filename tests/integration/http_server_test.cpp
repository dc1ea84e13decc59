// The HTTP server under the pressure an attacker or a greedy client puts on it, against a
// real gateway (issue 17): /healthz answered while every API worker is stuck, a token that
// hammers the API gets 429, the descriptor limit reached and recovered from, and requests
// whose framing a proxy could read differently refused.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <future>
#include <regex>
#include <thread>

#include "gateway/store/sqlite_db.hpp"
#include "tests/integration/test_harness.hpp"

namespace fieldproof::testing {
namespace {

using namespace std::chrono_literals;

// A TCP connection to the gateway's HTTP port; closed with the object.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool connected() const { return connected_; }

  // Sends `request` as is and reads until the server closes or the head and body are in
  // (`until_closed`: until the server closes).
  std::string Exchange(const std::string& request, bool until_closed = false) {
    ::send(fd_, request.data(), request.size(), MSG_NOSIGNAL);
    std::string response;
    char buffer[4096];
    timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    while (true) {
      const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      response.append(buffer, static_cast<std::size_t>(n));
      if (!until_closed && Complete(response)) break;
    }
    return response;
  }

 private:
  // The head and as many body bytes as its Content-Length says.
  static bool Complete(const std::string& response) {
    const auto head_end = response.find("\r\n\r\n");
    if (head_end == std::string::npos) return false;
    std::smatch length;
    const std::string head = response.substr(0, head_end);
    if (!std::regex_search(head, length, std::regex("Content-Length: ([0-9]+)", std::regex::icase))) return true;
    return response.size() >= head_end + 4 + std::stoul(length[1]);
  }

  int fd_;
  bool connected_ = false;
};

class HttpServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir();
    broker_ = new Broker(*dir_);
    ImportSite(*dir_, Db());
    gateway_ = new Gateway(*dir_, *broker_,
                           {"--http-threads", "2", "--http-token-rate", "1", "--http-token-burst", "5"});
    port_ = gateway_->HttpPort();
    for (const auto& [name, role] : std::vector<std::pair<std::string, std::string>>{
             {"supervisor", "supervisor"}, {"admin", "admin"}, {"greedy", "admin"}}) {
      const auto created =
          RunToCompletion({FIELDPROOF_CLI_BIN, "--db", Db(), "token", "create", "--name", name, "--role", role}, *dir_);
      if (created.exit_code != 0) throw std::runtime_error("token create failed: " + created.out);
      tokens_[name] = created.out.substr(0, created.out.find('\n'));
    }
  }
  static void TearDownTestSuite() {
    delete gateway_;
    delete broker_;
    delete dir_;
  }

  static std::string Db() { return *dir_ / "fieldproof.db"; }

  static inline ScratchDir* dir_ = nullptr;
  static inline Broker* broker_ = nullptr;
  static inline Gateway* gateway_ = nullptr;
  static inline int port_ = 0;
  static inline std::map<std::string, std::string> tokens_;
};

TEST_F(HttpServerTest, HealthzAnswersGetAndHeadOnly) {
  EXPECT_EQ(HttpGet(port_, "/healthz").status, 200);
  const auto post = HttpPost(port_, "/healthz", "", "{}");
  EXPECT_EQ(post.status, 405) << post.body;
  RawConnection connection(port_);
  const auto deleted = connection.Exchange("DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(deleted.rfind("HTTP/1.1 405", 0), 0u) << deleted;
  EXPECT_NE(deleted.find("Allow: GET, HEAD"), std::string::npos) << deleted;

  // HEAD: a GET's head without its body, so the next response on the connection starts
  // right after it.
  RawConnection keep_alive(port_);
  const auto both = keep_alive.Exchange(
      "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      /*until_closed=*/true);
  ASSERT_EQ(both.rfind("HTTP/1.1 200", 0), 0u) << both;
  EXPECT_TRUE(std::regex_search(both.substr(0, both.find("\r\n\r\n")), std::regex("Content-Length: [1-9]")))
      << both;
  EXPECT_EQ(both.substr(both.find("\r\n\r\n") + 4).rfind("HTTP/1.1 200", 0), 0u) << both;
}

// A body framed by anything but chunked (or a list ending elsewhere) could be read one way
// by a proxy in front and another way here: request smuggling. Refused before the body.
TEST_F(HttpServerTest, TransferEncodingOtherThanChunkedIsRefused) {
  for (const std::string coding : {"gzip", "identity", "gzip, chunked", "chunked, gzip", "x"}) {
    RawConnection connection(port_);
    const auto response = connection.Exchange("POST /api/v1/reviews HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " +
                                               coding + "\r\n\r\n0\r\n\r\n");
    EXPECT_EQ(response.rfind("HTTP/1.1 400", 0), 0u) << coding << ": " << response;
    EXPECT_NE(response.find("Transfer-Encoding"), std::string::npos) << response;
  }
  RawConnection chunked(port_);
  const auto response =
      chunked.Exchange("POST /api/v1/reviews HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  EXPECT_EQ(response.rfind("HTTP/1.1 401", 0), 0u) << "chunked is read, then the missing token refused: " << response;
}

TEST_F(HttpServerTest, ATokenThatHammersTheApiGets429WithRetryAfter) {
  std::vector<int> statuses;
  for (int i = 0; i < 12; ++i) statuses.push_back(HttpGet(port_, "/api/v1/me", tokens_["greedy"]).status);
  EXPECT_EQ(statuses.front(), 200);
  EXPECT_EQ(statuses.back(), 429) << "a burst of 5 at 1 a second";
  RawConnection connection(port_);
  const auto refused = connection.Exchange("GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                           tokens_["greedy"] + "\r\n\r\n");
  EXPECT_EQ(refused.rfind("HTTP/1.1 429", 0), 0u) << refused;
  EXPECT_TRUE(std::regex_search(refused, std::regex("Retry-After: [1-9]"))) << refused;
  // Another token, and health and metrics, are not slowed or refused by it.
  EXPECT_EQ(HttpGet(port_, "/api/v1/me", tokens_["admin"]).status, 200);
  EXPECT_EQ(HttpGet(port_, "/healthz").status, 200);
}

// Every API worker waits on the database (another process holds its write lock, the
// reviews wait up to SQLite's busy timeout); /healthz and /metrics still answer, at once.
TEST_F(HttpServerTest, HealthAndMetricsAnswerWhileEveryApiWorkerIsBusy) {
  std::int64_t doubtful = 0;
  {
    store::Database database(Db());
    database.Exec(
        "INSERT INTO inspections (site, asset_id, technician_id, device_id, start_tap_id, end_tap_id, started_at, "
        "ended_at, verdict, strength, assessed_at) SELECT site, asset_id, 'T-1', 'HH-1', 0, -1, 0, 1, "
        "'needs_review', 'strong', 0 FROM assets LIMIT 1");
    doubtful = database.QueryInt("SELECT max(id) FROM inspections");
  }
  store::Database holder(Db());
  holder.Exec("BEGIN IMMEDIATE");  // The write lock, until this test lets go.
  const std::string decision = R"({"inspection_id":)" + std::to_string(doubtful) +
                               R"(,"decision":"verified","reason":"seen by the fire officer"})";
  std::vector<std::future<HttpResult>> reviews;
  for (int i = 0; i < 4; ++i) {  // Two workers, both stuck, and two more waiting in line.
    reviews.push_back(std::async(std::launch::async, [&] {
      return HttpPost(port_, "/api/v1/reviews", tokens_["supervisor"], decision);
    }));
  }
  // Both workers are stuck (SQLite's busy handler waits for the lock); the reviews cannot
  // finish before we let go, or give up after the 5 s busy timeout. /metrics says so, and
  // /healthz answers meanwhile.
  // The reviews give up after SQLite's busy timeout (5 s); look for the stuck workers before.
  const auto deadline = std::chrono::steady_clock::now() + store::Database::kBusyTimeout - 1s;
  bool saturated = false;
  while (!(saturated = HttpGet(port_, "/metrics", tokens_["admin"]).body.find(
                           "\nfieldproof_http_busy_workers 2\n") != std::string::npos) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  const auto health = HttpGet(port_, "/healthz");
  const auto metrics = HttpGet(port_, "/metrics", tokens_["admin"]);
  const bool reviews_still_waiting =
      std::all_of(reviews.begin(), reviews.end(),
                  [](auto& review) { return review.wait_for(0s) == std::future_status::timeout; });
  holder.Exec("COMMIT");
  EXPECT_TRUE(saturated) << "both API workers waiting on the database";
  EXPECT_EQ(health.status, 200) << health.body;
  EXPECT_EQ(metrics.status, 200);
  EXPECT_TRUE(reviews_still_waiting) << "health waited for the API workers";
  int decided = 0;
  for (auto& review : reviews) decided += review.get().status == 200;
  EXPECT_EQ(decided, 1) << "once only; the others are told it was decided (409)";
}

// Issue 17, finding 3: out of descriptors, accept() failed and the server retried at once,
// logging about 15 MB/s, and answered nothing until the sockets closed. Now it backs off,
// logs once per interval with a count, and recovers by itself.
TEST_F(HttpServerTest, OutOfDescriptorsTheServerBacksOffAndRecovers) {
  ScratchDir dir;
  Broker broker(dir);
  const std::string log = dir / "gateway.log";
  Process gateway({"/bin/sh", "-c", "ulimit -n 64 && exec \"$0\" \"$@\"", FIELDPROOF_GATEWAY_BIN, "--db",
                   dir / "fieldproof.db", "--broker", broker.uri(), "--stats-interval", "0", "--http-port", "0"},
                  log);
  ASSERT_TRUE(WaitForText(log, "subscribed to", 20s)) << ReadText(log);
  const int port = HttpPortInLog(log);
  const std::string text = ReadText(log);
  EXPECT_NE(text.find("more than half the descriptor limit 64"), std::string::npos) << text;

  const auto start = std::chrono::steady_clock::now();
  {
    std::vector<std::unique_ptr<RawConnection>> flood;
    for (int i = 0; i < 100; ++i) flood.push_back(std::make_unique<RawConnection>(port));
    ASSERT_TRUE(WaitForText(log, "http: cannot accept connections: Too many open files", 20s)) << ReadText(log);
  }  // The flood's sockets close.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  HttpResult health;
  while ((health = HttpGet(port, "/healthz")).status != 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(health.status, 200) << "recovered by itself";
  ASSERT_TRUE(WaitForText(log, "http: accepting connections again", 5s)) << ReadText(log);
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
  const std::string lines = ReadText(log);
  std::size_t failures = 0;
  for (auto at = lines.find("cannot accept"); at != std::string::npos; at = lines.find("cannot accept", at + 1)) {
    ++failures;
  }
  EXPECT_LE(failures, 1 + static_cast<std::size_t>(seconds / 10)) << "one line per 10 s";
  gateway.Signal(SIGTERM);
  EXPECT_EQ(gateway.Wait(20s), 0);
}

}  // namespace
}  // namespace fieldproof::testing
