#pragma once
// A small HTTP/1.1 server on Boost.Beast for the API and the dashboard: its own io_context
// and threads (so API load never slows MQTT intake), one strand per connection, a timeout
// on every read and write, a bounded request size, keep-alive, a bounded number of
// connections. Quick requests (health, metrics, static files) are answered on the I/O
// thread at once; the rest wait for a worker thread in a queue that takes clients in turn,
// each client (bearer token) rate-limited. The handler may block on SQLite.
// A failing accept (out of descriptors) is retried with back-off and logged once per
// interval; the server recovers by itself when descriptors are free again.
#include <boost/beast/http.hpp>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gateway/http/request_limiter.hpp"

namespace fieldproof::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Handler = std::function<Response(const Request&)>;
// True for a request the handler answers without waiting on anything (no SQLite writes,
// no long reads): it skips the queue, so it stays fast however busy the API is.
using QuickFilter = std::function<bool(const Request&)>;

struct ServerConfig {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port (tests).
  int threads = 2;             // Worker threads for requests that are not quick.
  std::size_t max_request_bytes = 64 * 1024;
  // PUT requests below this path (photos) may carry up to max_upload_bytes instead.
  std::string upload_path = "/api/v1/photos/";
  std::size_t max_upload_bytes = 8 << 20;
  int timeout_seconds = 30;
  int max_connections = 512;        // More are closed at once (and logged).
  std::size_t max_waiting = 1000;   // Requests queued for a worker; more get 503.
  RateLimit per_token;              // Per bearer token (per address without one).
};

class HttpServer {
 public:
  // Binds and starts serving; throws std::runtime_error when the address cannot be bound.
  HttpServer(ServerConfig config, Handler handler, QuickFilter is_quick = {});
  ~HttpServer();  // Stop().
  void Stop();
  unsigned short port() const { return port_; }
  // For /metrics: workers answering an API request now, and requests waiting for one.
  int busy_workers() const;
  std::size_t waiting_requests() const;

  struct Impl;  // The .cpp's: the acceptor, the connections' shared state, the workers.

 private:
  std::unique_ptr<Impl> impl_;
  unsigned short port_ = 0;
};

}  // namespace fieldproof::http
