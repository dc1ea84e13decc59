#pragma once
// Uploads a simulated handheld's photos to the gateway before the end tap that names them
// (PUT /api/v1/photos/{sha256} with a device token, docs/handheld.md), over one keep-alive
// connection to a loopback http:// API.
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace fieldproof::sim {

class PhotoUploader {
 public:
  // `api_url`: "http://host:port". Throws std::invalid_argument for anything else.
  PhotoUploader(const std::string& api_url, std::string token);

  // True when the gateway keeps the photo (201, or 200 when it had it already). A failure is
  // logged once per kind; the end tap goes anyway, and the gateway asks for review.
  bool Upload(const std::string& photo);
  std::uint64_t uploaded() const { return uploaded_; }
  std::uint64_t failed() const { return failed_; }

 private:
  int Put(const std::string& photo);
  int PutOnAConnection(const std::string& photo);

  std::string host_, port_, token_;
  boost::asio::io_context io_;
  std::optional<boost::beast::tcp_stream> stream_;
  std::uint64_t uploaded_ = 0, failed_ = 0;
  int last_failure_ = -1;
  int retry_after_s_ = 1;  // From the gateway's last Retry-After.
};

}  // namespace fieldproof::sim
