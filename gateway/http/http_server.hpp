#pragma once
// A small HTTP/1.1 server on Boost.Beast for the API and the dashboard: its own io_context
// and threads (so API load never slows MQTT intake), one strand per connection, a timeout
// on every read and write, a bounded request size, keep-alive. Requests are handed to
// `handler` on a server thread; the handler may block on SQLite.
#include <boost/beast/http.hpp>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace fieldproof::http {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Handler = std::function<Response(const Request&)>;

struct ServerConfig {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port (tests).
  int threads = 2;
  std::size_t max_request_bytes = 64 * 1024;
  int timeout_seconds = 30;
};

class HttpServer {
 public:
  // Binds and starts serving; throws std::runtime_error when the address cannot be bound.
  HttpServer(ServerConfig config, Handler handler);
  ~HttpServer();  // Stop().
  void Stop();
  unsigned short port() const { return port_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  unsigned short port_ = 0;
};

}  // namespace fieldproof::http
