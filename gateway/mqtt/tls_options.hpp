#pragma once
// TLS for an MQTT client (the gateway, the simulator): our certificate and key for the
// broker's require_certificate listener, and the CA the broker's certificate must chain
// to. Used when the broker URI is ssl:// or mqtts://.
#include <mqtt/ssl_options.h>

#include <chrono>
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

// A client's second connection has an identity of its own: the broker binds each client id
// to one certificate (use_username_as_clientid), so two connections with one certificate
// would throw each other out. Its files lie beside the first's: "<cert stem>-<role>.crt" and
// ".key" (ops/make-certs.sh makes fieldproof-gateway-notices beside fieldproof-gateway).
TlsFiles SecondIdentity(const TlsFiles& first, std::string_view role);

// The CN of a PEM certificate file; nullopt when the file cannot be read as one.
std::optional<std::string> CertificateName(const std::string& cert_file);

// With TLS the broker names a client after its certificate's CN, whatever client id the
// client sends; a configured id that differs would make our logs lie. Throws
// std::invalid_argument naming both when `client_id` is not `files`' CN (or it has none).
void RequireClientIdIsCertificateName(const std::string& client_id, const TlsFiles& files);

// "CA ca.crt, certificate gw.crt, key gw.key", for log lines about a failed handshake.
std::string DescribeTlsFiles(const TlsFiles& files);

// The ssl_options for `broker_uri`, or nullopt for a plain tcp:// URI. The broker's
// certificate is verified, host name included. Throws std::invalid_argument when files are
// named for a plain URI, or a certificate without its key (and vice versa): a configuration
// that would silently not do what it says.
std::optional<mqtt::ssl_options> SslOptionsFor(const std::string& broker_uri, const TlsFiles& files);

// Why a TLS connection to `broker_uri` with `files` fails this side of the handshake, in
// OpenSSL's words ("...certificate verify failed..."), from a handshake of our own (Paho's
// error callback cannot be used: Paho C++ 1.2 hands the C library a pointer into a copy of
// the options that dies when connect() returns). With TLS 1.3 the broker refuses our
// certificate after the handshake: its alert is read too ("...certificate revoked"). Empty
// when the broker accepts us: then it refused the MQTT connection and its log says why.
// Gives up after `timeout`.
std::string TlsHandshakeProblem(const std::string& broker_uri, const TlsFiles& files,
                                std::chrono::seconds timeout);

}  // namespace fieldproof::mqtt_adapter
