#include "firmware-sim/photo_uploader.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <regex>
#include <stdexcept>
#include <thread>

#include "gateway/crypto/sha256.hpp"

namespace fieldproof::sim {

namespace beast = boost::beast;
namespace http = beast::http;

PhotoUploader::PhotoUploader(const std::string& api_url, std::string token) : token_(std::move(token)) {
  std::smatch parts;
  if (!std::regex_match(api_url, parts, std::regex(R"(http://([^:/]+):(\d+)/?)"))) {
    throw std::invalid_argument("--api-url must be http://host:port, not " + api_url);
  }
  host_ = parts[1];
  port_ = parts[2];
}

// A broken connection is tried once more on a new one; 0 when that fails too.
int PhotoUploader::PutOnAConnection(const std::string& photo) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      return Put(photo);
    } catch (const std::exception& e) {
      stream_.reset();
      if (attempt == 1 && last_failure_ != 0) std::cerr << "sim: photo upload failed: " << e.what() << "\n";
    }
  }
  last_failure_ = 0;
  return 0;
}

bool PhotoUploader::Upload(const std::string& photo) {
  // A 429 waits as long as the gateway says (a handheld's token has a rate), a few times.
  int status = PutOnAConnection(photo);
  for (int waits = 0; status == 429 && waits < 4; ++waits) {
    std::this_thread::sleep_for(std::chrono::seconds(std::clamp(retry_after_s_, 1, 5)));
    status = PutOnAConnection(photo);
  }
  if (status == 200 || status == 201) {
    ++uploaded_;
    return true;
  }
  ++failed_;
  if (status != 0 && status != last_failure_) {
    std::cerr << "sim: the gateway refused a photo: HTTP " << status << "\n";
    last_failure_ = status;
  }
  return false;
}

int PhotoUploader::Put(const std::string& photo) {
  if (!stream_) {
    stream_.emplace(io_);
    stream_->connect(boost::asio::ip::tcp::resolver(io_).resolve(host_, port_));
  }
  http::request<http::string_body> request(http::verb::put, "/api/v1/photos/" + crypto::Sha256Hex(photo), 11);
  request.set(http::field::host, host_);
  request.set(http::field::authorization, "Bearer " + token_);
  request.set(http::field::content_type, "image/png");
  request.keep_alive(true);
  request.body() = photo;
  request.prepare_payload();
  stream_->expires_after(std::chrono::seconds(10));
  http::write(*stream_, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(*stream_, buffer, response);
  if (!response.keep_alive()) stream_.reset();
  if (const auto retry = response[http::field::retry_after]; !retry.empty()) {
    retry_after_s_ = std::atoi(std::string(retry).c_str());
  }
  return response.result_int();
}

}  // namespace fieldproof::sim
