// Load on the gateway's API from a second process: C connections on loopback, each with
// keep-alive, reading single inspections (with their evidence) by random id for D seconds,
// while one more connection asks /healthz every 10 ms (what a load balancer or monitoring
// sees while the API is busy). Prints requests/s and latency percentiles of both; ends with
// "N passed, N failed" against the target p99 < 50 ms. With TARGET, every connection asks
// that instead (a heavy request, e.g. a site's coverage report: then only /healthz counts).
//   api_load PORT TOKEN MAX_INSPECTION_ID [CONNECTIONS=8] [SECONDS=10] [TARGET]
#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace beast = boost::beast;
using tcp = boost::asio::ip::tcp;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: api_load PORT TOKEN MAX_INSPECTION_ID [CONNECTIONS] [SECONDS] [TARGET]\n");
    return 2;
  }
  const unsigned short port = static_cast<unsigned short>(std::stoi(argv[1]));
  const std::string token = argv[2];
  const long max_id = std::stol(argv[3]);
  const int connections = argc > 4 ? std::stoi(argv[4]) : 8;
  const double seconds = argc > 5 ? std::stod(argv[5]) : 10;
  const std::string fixed_target = argc > 6 ? argv[6] : "";

  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
  std::atomic<long> errors{0};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  std::vector<double> health;
  std::thread prober([&] {
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    beast::flat_buffer buffer;
    while (std::chrono::steady_clock::now() < deadline) {
      beast::http::request<beast::http::empty_body> req{beast::http::verb::get, "/healthz", 11};
      req.set(beast::http::field::host, "127.0.0.1");
      const auto start = std::chrono::steady_clock::now();
      beast::http::write(stream, req);
      beast::http::response<beast::http::string_body> res;
      beast::http::read(stream, buffer, res);
      health.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      boost::asio::io_context io;
      beast::tcp_stream stream(io);
      stream.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
      std::mt19937_64 rng(static_cast<unsigned long>(c) + 1);
      beast::flat_buffer buffer;
      while (std::chrono::steady_clock::now() < deadline) {
        const std::string target =
            fixed_target.empty()
                ? "/api/v1/inspections/" + std::to_string(1 + static_cast<long>(rng() % max_id))
                : fixed_target;
        beast::http::request<beast::http::empty_body> req{beast::http::verb::get, target, 11};
        req.set(beast::http::field::host, "127.0.0.1");
        req.set(beast::http::field::authorization, "Bearer " + token);
        req.keep_alive(true);
        const auto start = std::chrono::steady_clock::now();
        beast::http::write(stream, req);
        beast::http::response<beast::http::string_body> res;
        beast::http::read(stream, buffer, res);
        latencies[static_cast<std::size_t>(c)].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
        if (res.result() != beast::http::status::ok) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  prober.join();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  std::sort(health.begin(), health.end());
  auto percentile = [](const std::vector<double>& sorted, double p) {
    return sorted.empty() ? 0.0
                          : sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * sorted.size()))];
  };
  auto pct = [&](double p) { return percentile(all, p); };
  std::printf("GET %s: %zu requests over %d connections in %.0f s: %.0f requests/s\n",
              fixed_target.empty() ? "/api/v1/inspections/{id}" : fixed_target.c_str(), all.size(),
              connections, seconds, all.size() / seconds);
  std::printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f; non-200 answers: %ld\n",
              pct(0.50), pct(0.90), pct(0.99), all.empty() ? 0 : all.back(), errors.load());
  std::printf("GET /healthz meanwhile: %zu requests, latency ms: p50 %.2f  p99 %.2f  max %.2f\n",
              health.size(), percentile(health, 0.50), percentile(health, 0.99),
              health.empty() ? 0 : health.back());
  if (!fixed_target.empty()) return errors == 0 ? 0 : 1;
  const bool ok = !all.empty() && pct(0.99) < 50 && errors == 0;
  std::printf("%d passed, %d failed (target: p99 under 50 ms, every answer 200)\n", ok ? 1 : 0,
              ok ? 0 : 1);
  return ok ? 0 : 1;
}
