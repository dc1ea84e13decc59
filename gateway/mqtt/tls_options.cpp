#include "gateway/mqtt/tls_options.hpp"

#include <stdexcept>

namespace fieldproof::mqtt_adapter {

bool IsTlsUri(std::string_view broker_uri) {
  return broker_uri.starts_with("ssl://") || broker_uri.starts_with("mqtts://");
}

std::string DescribeTlsFiles(const TlsFiles& files) {
  auto or_none = [](const std::string& file) { return file.empty() ? std::string("none") : file; };
  return "CA " + (files.ca_file.empty() ? std::string("system default") : files.ca_file) +
         ", certificate " + or_none(files.cert_file) + ", key " + or_none(files.key_file);
}

std::optional<mqtt::ssl_options> SslOptionsFor(const std::string& broker_uri, const TlsFiles& files,
                                               std::function<void(const std::string&)> on_tls_error) {
  if (!IsTlsUri(broker_uri)) {
    if (files.any()) {
      throw std::invalid_argument("TLS files (" + DescribeTlsFiles(files) + ") given, but the broker URI " +
                                  broker_uri + " is not ssl://");
    }
    return std::nullopt;
  }
  if (files.cert_file.empty() != files.key_file.empty()) {
    throw std::invalid_argument("a client certificate needs its key and a key its certificate (" +
                                DescribeTlsFiles(files) + ")");
  }
  auto builder = mqtt::ssl_options_builder();
  if (!files.ca_file.empty()) builder.trust_store(files.ca_file);
  if (!files.cert_file.empty()) builder.key_store(files.cert_file).private_key(files.key_file);
  return builder.enable_server_cert_auth(true)
      .verify(true)  // Also the host name against the broker certificate's SAN.
      // OpenSSL's lines end in a newline; log lines must not.
      .error_handler([on_tls_error = std::move(on_tls_error)](const std::string& error) {
        on_tls_error(error.substr(0, error.find_last_not_of("\r\n ") + 1));
      })
      .finalize();
}

}  // namespace fieldproof::mqtt_adapter
