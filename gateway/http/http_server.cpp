#include "gateway/http/http_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <optional>

namespace fieldproof::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// One connection: read a request, answer it, repeat while keep-alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const Handler& handler, const ServerConfig& config)
      : stream_(std::move(socket)), handler_(handler), config_(config) {}

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->DoRead(); });
  }

 private:
  void DoRead() {
    parser_.emplace();
    parser_->body_limit(config_.max_request_bytes);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(config_.timeout_seconds));
    beast::http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == beast::http::error::end_of_stream) return Close();
    if (ec == beast::http::error::body_limit || ec == beast::http::error::header_limit) {
      Response res{beast::http::status::payload_too_large, 11};
      res.set(beast::http::field::content_type, "application/json");
      res.body() = R"({"error":"request too large"})";
      res.keep_alive(false);
      res.prepare_payload();
      return Send(std::move(res));
    }
    if (ec) return;  // Timeout or reset: the stream closes with the session.
    Request request = parser_->release();
    Response res;
    try {
      res = handler_(request);
    } catch (const std::exception& e) {
      spdlog::error("http: {} {} failed: {}", std::string(request.method_string()),
                    std::string(request.target()), e.what());
      res = Response{beast::http::status::internal_server_error, request.version()};
      res.set(beast::http::field::content_type, "application/json");
      res.body() = R"({"error":"internal error; see the gateway log"})";
    }
    res.version(request.version());
    res.keep_alive(request.keep_alive());
    res.prepare_payload();
    Send(std::move(res));
  }

  void Send(Response res) {
    response_ = std::make_unique<Response>(std::move(res));
    stream_.expires_after(std::chrono::seconds(config_.timeout_seconds));
    beast::http::async_write(stream_, *response_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec || !self->response_->keep_alive()) return self->Close();
                               self->DoRead();
                             });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<beast::http::request_parser<beast::http::string_body>> parser_;
  std::unique_ptr<Response> response_;
  const Handler& handler_;
  const ServerConfig& config_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(ServerConfig c, Handler h) : config(std::move(c)), handler(std::move(h)), acceptor(io) {}

  void Accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec != asio::error::operation_aborted)
          spdlog::warn("http: accept failed: {}", ec.message());
        if (!acceptor.is_open()) return;
      } else {
        std::make_shared<Session>(std::move(socket), handler, config)->Start();
      }
      Accept();
    });
  }

  ServerConfig config;
  Handler handler;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
};

HttpServer::HttpServer(ServerConfig config, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(handler))) {
  beast::error_code ec;
  const tcp::endpoint endpoint(asio::ip::make_address(impl_->config.address, ec),
                               impl_->config.port);
  if (ec)
    throw std::runtime_error("http: bad address " + impl_->config.address + ": " + ec.message());
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw std::runtime_error("http: cannot listen on " + impl_->config.address + ":" +
                             std::to_string(impl_->config.port) + ": " + ec.message());
  }
  port_ = acceptor.local_endpoint().port();
  impl_->Accept();
  for (int i = 0; i < std::max(1, impl_->config.threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Stop() {
  if (!impl_) return;
  asio::post(impl_->io, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
  impl_->io.stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  impl_.reset();
}

}  // namespace fieldproof::http
