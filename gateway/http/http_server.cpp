#include "gateway/http/http_server.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/string.hpp>
#include <optional>

#include "gateway/codec/view_codec.hpp"
#include "gateway/http/fair_queue.hpp"

namespace fieldproof::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

Response Plain(bhttp::status status, unsigned version, std::string_view error) {
  Response res{status, version};
  res.set(bhttp::field::content_type, "application/json");
  res.set(bhttp::field::cache_control, "no-store");
  res.body() = codec::EncodeError(error);
  return res;
}

Response Answer(const Handler& handler, const Request& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    spdlog::error("http: {} {} failed: {}", std::string(request.method_string()),
                  std::string(request.target()), e.what());
    return Plain(bhttp::status::internal_server_error, request.version(),
                 "internal error; see the gateway log");
  }
}

// A request with Transfer-Encoding must end in chunked, the only coding we read; anything
// else (gzip, identity, a list) could frame the body differently for a proxy in front.
bool AcceptableTransferEncoding(const Request& request) {
  const auto coding = request[bhttp::field::transfer_encoding];
  return coding.empty() || beast::iequals(coding, "chunked");
}

// A problem that can repeat thousands of times a second is logged once per interval,
// with how often it happened.
class ThrottledLog {
 public:
  explicit ThrottledLog(std::chrono::seconds interval) : interval_(interval) {}
  // The count since the last line, when a line is due now; else 0.
  std::uint64_t Due(Clock::time_point now) {
    ++count_;
    if (now - last_ < interval_) return 0;
    last_ = now;
    return std::exchange(count_, 0);
  }
  std::uint64_t Reset() { return std::exchange(count_, 0); }

 private:
  std::chrono::seconds interval_;
  Clock::time_point last_{};
  std::uint64_t count_ = 0;
};

std::string DescriptorLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return "unknown";
  return std::to_string(limit.rlim_cur);
}

}  // namespace

struct HttpServer::Impl {
  Impl(ServerConfig c, Handler h, QuickFilter q)
      : config(std::move(c)),
        handler(std::move(h)),
        is_quick(std::move(q)),
        limiter(config.per_token),
        waiting(config.max_waiting),
        acceptor(io),
        retry_timer(io) {}

  void Accept();
  void OnAcceptFailed(const beast::error_code& ec);
  void Serve(tcp::socket socket);

  const ServerConfig config;
  const Handler handler;
  const QuickFilter is_quick;
  RequestLimiter limiter;
  std::atomic<int> connections{0};
  std::atomic<int> busy_workers{0};
  ThrottledLog accept_failures{std::chrono::seconds(10)};
  ThrottledLog refused_connections{std::chrono::seconds(10)};
  std::chrono::milliseconds accept_backoff{0};
  FairQueue waiting;
  asio::io_context io;
  tcp::acceptor acceptor;
  asio::steady_timer retry_timer;
  std::vector<std::thread> threads;
};

namespace {

// One connection: read a request, answer it, repeat while keep-alive.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl& server)
      : stream_(std::move(socket)), server_(server) {
    ++server_.connections;
  }
  ~Session() { --server_.connections; }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->DoRead(); });
  }

 private:
  void DoRead() {
    parser_.emplace();
    // The largest any request may carry; OnHeader holds each to its own limit.
    parser_->body_limit(std::max(server_.config.max_request_bytes, server_.config.max_upload_bytes));
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(server_.config.timeout_seconds));
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnRead(ec);
    if (!AcceptableTransferEncoding(parser_->get())) {
      return Refuse(bhttp::status::bad_request, "unsupported Transfer-Encoding (only chunked)");
    }
    const std::size_t limit = IsUpload(parser_->get()) ? server_.config.max_upload_bytes
                                                         : server_.config.max_request_bytes;
    if (const auto length = parser_->content_length(); length && *length > limit) {
      // Refused before its bytes are read, so the log is the only trace of what it was.
      spdlog::warn("http: {} {} refused: {} bytes, at most {}", std::string(parser_->get().method_string()),
                   std::string(parser_->get().target()), *length, limit);
      return Refuse(bhttp::status::payload_too_large, "request too large");
    }
    parser_->body_limit(limit);  // A chunked body is counted as it arrives.
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == bhttp::error::end_of_stream) return Close();
    if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
      return Refuse(bhttp::status::payload_too_large, "request too large");
    }
    if (ec) return;  // Timeout, reset or a malformed request: the stream closes with us.
    request_ = parser_->release();
    if (server_.is_quick && server_.is_quick(request_)) {
      return Send(Answer(server_.handler, request_));
    }
    const std::string client = ClientKey();
    if (const auto wait = server_.limiter.Admit(client, Clock::now()); wait.count() > 0) {
      Response res = Plain(bhttp::status::too_many_requests, request_.version(),
                           "too many requests for this token; try again later");
      res.set(bhttp::field::retry_after, std::to_string(wait.count()));
      return Send(std::move(res));
    }
    const bool queued = server_.waiting.Push(client, [self = shared_from_this()] {
      Response res = Answer(self->server_.handler, self->request_);
      asio::post(self->stream_.get_executor(),
                 [self, res = std::move(res)]() mutable { self->Send(std::move(res)); });
    });
    if (!queued) {
      Response res = Plain(bhttp::status::service_unavailable, request_.version(),
                           "the API is busy; try again later");
      res.set(bhttp::field::retry_after, "1");
      Send(std::move(res));
    }
  }

  bool IsUpload(const Request& header) const {
    const auto& path = server_.config.upload_path;
    const std::string_view target(header.target().data(), header.target().size());
    return !path.empty() && header.method() == bhttp::verb::put && target.starts_with(path);
  }

  // Whose turn and whose rate: the bearer token, or the peer's address without one.
  std::string ClientKey() {
    const auto token = request_[bhttp::field::authorization];
    if (!token.empty()) return "token " + std::string(token);
    beast::error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    return ec ? "peer ?" : "peer " + peer.address().to_string();
  }

  void Refuse(bhttp::status status, std::string_view error) {
    Response res = Plain(status, 11, error);
    res.keep_alive(false);
    res.prepare_payload();
    Write(std::move(res));
  }

  void Send(Response res) {
    res.version(request_.version());
    res.keep_alive(request_.keep_alive());
    res.prepare_payload();
    if (request_.method() == bhttp::verb::head) {  // The length a GET would get, no body.
      const auto length = res.body().size();
      res.body().clear();
      res.content_length(length);
    }
    Write(std::move(res));
  }

  void Write(Response res) {
    response_ = std::make_unique<Response>(std::move(res));
    stream_.expires_after(std::chrono::seconds(server_.config.timeout_seconds));
    bhttp::async_write(stream_, *response_,
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
  HttpServer::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request request_;
  std::unique_ptr<Response> response_;
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) return OnAcceptFailed(ec);
    if (accept_backoff.count() > 0) {
      spdlog::info("http: accepting connections again ({} failed accept(s) since the last line)",
                   accept_failures.Reset());
      accept_backoff = std::chrono::milliseconds(0);
    }
    Serve(std::move(socket));
    Accept();
  });
}

// EMFILE and friends: the connection stays in the listen queue. Retrying at once would spin
// (and log) as fast as the CPU goes, so wait, longer each time, up to a second.
void HttpServer::Impl::OnAcceptFailed(const beast::error_code& ec) {
  if (const auto count = accept_failures.Due(Clock::now()); count > 0) {
    spdlog::error("http: cannot accept connections: {} ({} time(s) in the last 10 s; descriptor "
                  "limit {}, {} open connection(s)); retrying",
                  ec.message(), count, DescriptorLimit(), connections.load());
  }
  accept_backoff = std::clamp(accept_backoff * 2, std::chrono::milliseconds(10),
                              std::chrono::milliseconds(1000));
  retry_timer.expires_after(accept_backoff);
  retry_timer.async_wait([this](beast::error_code wait_ec) {
    if (!wait_ec) Accept();
  });
}

void HttpServer::Impl::Serve(tcp::socket socket) {
  if (connections.load() >= config.max_connections) {
    if (const auto count = refused_connections.Due(Clock::now()); count > 0) {
      spdlog::warn("http: {} connection(s) closed at once: {} are open, the most allowed", count,
                   config.max_connections);
    }
    beast::error_code ignored;
    socket.close(ignored);
    return;
  }
  std::make_shared<Session>(std::move(socket), *this)->Start();
}

HttpServer::HttpServer(ServerConfig config, Handler handler, QuickFilter is_quick)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(handler), std::move(is_quick))) {
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
  // One thread does all the socket work and the quick answers (short WAL reads: health,
  // a token lookup); it never waits behind API requests.
  impl_->threads.emplace_back([this] {
    pthread_setname_np(pthread_self(), "fp-http-io");
    impl_->io.run();
  });
  for (int i = 0; i < std::max(1, impl_->config.threads); ++i) {
    impl_->threads.emplace_back([this] {
      pthread_setname_np(pthread_self(), "fp-http-api");
      while (auto job = impl_->waiting.Pop()) {
        ++impl_->busy_workers;
        (*job)();
        --impl_->busy_workers;
      }
    });
  }
}

HttpServer::~HttpServer() { Stop(); }

int HttpServer::busy_workers() const { return impl_ ? impl_->busy_workers.load() : 0; }

std::size_t HttpServer::waiting_requests() const { return impl_ ? impl_->waiting.size() : 0; }

void HttpServer::Stop() {
  if (!impl_) return;
  asio::post(impl_->io, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
    impl_->retry_timer.cancel();
  });
  impl_->waiting.Close();
  impl_->io.stop();
  for (auto& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  impl_.reset();
}

}  // namespace fieldproof::http
