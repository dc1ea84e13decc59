#pragma once
// TLS for an MQTT client (the gateway, the simulator): our certificate and key for the
// broker's require_certificate listener, and the CA the broker's certificate must chain
// to. Used when the broker URI is ssl:// or mqtts://.
#include <mqtt/ssl_options.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fieldproof::mqtt_adapter {

struct TlsFiles {
  std::string ca_file;    // PEM; empty: OpenSSL's default trust store.
  std::string cert_file;  // PEM client certificate; its CN is our username for the broker's ACL.
  std::string key_file;   // PEM private key of cert_file, unencrypted.

  bool any() const { return !ca_file.empty() || !cert_file.empty() || !key_file.empty(); }
};

bool IsTlsUri(std::string_view broker_uri);

// "CA ca.crt, certificate gw.crt, key gw.key", for log lines about a failed handshake.
std::string DescribeTlsFiles(const TlsFiles& files);

// The ssl_options for `broker_uri`, or nullopt for a plain tcp:// URI. The broker's
// certificate is verified, host name included. `on_tls_error` receives OpenSSL's text for
// each error this side of a failed handshake sees, on Paho's thread; when the broker refuses
// our certificate (TLS 1.3: after the handshake), Paho reports only a failed connect and the
// broker's log says why. Throws std::invalid_argument when
// files are named for a plain URI, or a certificate without its key (and vice versa):
// a configuration that would silently not do what it says.
std::optional<mqtt::ssl_options> SslOptionsFor(const std::string& broker_uri, const TlsFiles& files,
                                               std::function<void(const std::string&)> on_tls_error);

}  // namespace fieldproof::mqtt_adapter
