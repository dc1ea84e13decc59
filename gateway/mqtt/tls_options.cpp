#include "gateway/mqtt/tls_options.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace fieldproof::mqtt_adapter {

bool IsTlsUri(std::string_view broker_uri) {
  return broker_uri.starts_with("ssl://") || broker_uri.starts_with("mqtts://");
}

TlsFiles SecondIdentity(const TlsFiles& first, std::string_view role) {
  auto beside = [role](const std::string& file, const char* extension) {
    if (file.empty()) return file;
    const auto dot = file.rfind('.');
    const auto slash = file.rfind('/');
    const bool has_extension = dot != std::string::npos && (slash == std::string::npos || dot > slash);
    return (has_extension ? file.substr(0, dot) : file) + "-" + std::string(role) + extension;
  };
  return {first.ca_file, beside(first.cert_file, ".crt"), beside(first.key_file, ".key")};
}

std::optional<std::string> CertificateName(const std::string& cert_file) {
  const std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(cert_file.c_str(), "r"), std::fclose);
  if (!file) return std::nullopt;
  const std::unique_ptr<X509, void (*)(X509*)> cert(
      PEM_read_X509(file.get(), nullptr, nullptr, nullptr), X509_free);
  if (!cert) return std::nullopt;
  char name[256] = {};
  const int length =
      X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, name, sizeof name);
  if (length <= 0) return std::nullopt;
  return std::string(name, static_cast<std::size_t>(length));
}

void RequireClientIdIsCertificateName(const std::string& client_id, const TlsFiles& files) {
  if (files.cert_file.empty()) return;  // No client certificate: the broker refuses us anyway.
  if (!std::filesystem::exists(files.cert_file)) {
    throw std::invalid_argument(files.cert_file + " is missing: each connection has a certificate of "
                                "its own (ops/make-certs.sh DIR makes the gateway's notices certificate "
                                "and writes the ACL for it; docs/operations.md, Upgrading)");
  }
  const auto name = CertificateName(files.cert_file);
  if (!name) throw std::invalid_argument(files.cert_file + " is not a PEM certificate with a CN");
  if (*name != client_id) {
    throw std::invalid_argument("client id " + client_id + " is not the CN of " + files.cert_file +
                                " (" + *name +
                                "): with TLS the broker names every client after its certificate");
  }
}

std::string DescribeTlsFiles(const TlsFiles& files) {
  auto or_none = [](const std::string& file) { return file.empty() ? std::string("none") : file; };
  return "CA " + (files.ca_file.empty() ? std::string("system default") : files.ca_file) +
         ", certificate " + or_none(files.cert_file) + ", key " + or_none(files.key_file);
}

std::optional<mqtt::ssl_options> SslOptionsFor(const std::string& broker_uri, const TlsFiles& files) {
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
      .finalize();
}

namespace {

std::string OpenSslReason() {
  char text[256] = "no reason given";
  if (const unsigned long error = ERR_get_error(); error != 0) ERR_error_string_n(error, text, sizeof text);
  ERR_clear_error();
  return text;
}

// A TCP connection to host:port within `timeout`, with that timeout on every read and write
// after; -1 (and `problem` set) when there is none.
int ConnectWithin(const std::string& host, const std::string& port, std::chrono::seconds timeout,
                  std::string& problem) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    problem = "cannot resolve " + host + ": " + ::gai_strerror(rc);
    return -1;
  }
  const std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(found, ::freeaddrinfo);
  const int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    problem = std::strerror(errno);
    return -1;
  }
  pollfd wait{fd, POLLOUT, 0};
  int error = 0;
  socklen_t length = sizeof error;
  const bool connected =
      (::connect(fd, found->ai_addr, found->ai_addrlen) == 0 || errno == EINPROGRESS) &&
      ::poll(&wait, 1, static_cast<int>(timeout.count() * 1000)) == 1 &&
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0;
  if (!connected) {
    problem = "cannot connect to " + host + ":" + port;
    ::close(fd);
    return -1;
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  const timeval limit{static_cast<time_t>(timeout.count()), 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  return fd;
}

// With TLS 1.3 the server checks our certificate after our side of the handshake is done:
// a refusal arrives as an alert on the first read. A broker that accepts us sends nothing
// before our CONNECT, so a second of silence means accepted.
// What it may send meanwhile, session tickets, is read and ignored.
std::string RefusalAfterHandshake(SSL* ssl, int fd) {
  const timeval second{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &second, sizeof second);
  char byte = 0;
  if (const int read = SSL_read(ssl, &byte, 1); read <= 0 && SSL_get_error(ssl, read) == SSL_ERROR_SSL) {
    return OpenSslReason();
  }
  ERR_clear_error();
  SSL_shutdown(ssl);
  return "";
}

}  // namespace

std::string TlsHandshakeProblem(const std::string& broker_uri, const TlsFiles& files,
                                std::chrono::seconds timeout) {
  const std::string address = broker_uri.substr(broker_uri.find("://") + 3);
  const auto colon = address.rfind(':');
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = colon == std::string::npos ? "8883" : address.substr(colon + 1);
  const std::unique_ptr<SSL_CTX, void (*)(SSL_CTX*)> context(SSL_CTX_new(TLS_client_method()),
                                                             SSL_CTX_free);
  if (!context) return OpenSslReason();
  const bool trusted = files.ca_file.empty()
                           ? SSL_CTX_set_default_verify_paths(context.get()) == 1
                           : SSL_CTX_load_verify_locations(context.get(), files.ca_file.c_str(), nullptr) == 1;
  if (!trusted) return OpenSslReason();
  if (!files.cert_file.empty() &&
      (SSL_CTX_use_certificate_chain_file(context.get(), files.cert_file.c_str()) != 1 ||
       SSL_CTX_use_PrivateKey_file(context.get(), files.key_file.c_str(), SSL_FILETYPE_PEM) != 1)) {
    return OpenSslReason();
  }
  SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER, nullptr);
  std::string problem;
  const int fd = ConnectWithin(host, port, timeout, problem);
  if (fd < 0) return problem;
  const std::unique_ptr<SSL, void (*)(SSL*)> ssl(SSL_new(context.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd);
  // As Paho's verify(true): the certificate must name the host (an IP address as such).
  in6_addr ignored{};
  const bool ip = ::inet_pton(AF_INET, host.c_str(), &ignored) == 1 ||
                  ::inet_pton(AF_INET6, host.c_str(), &ignored) == 1;
  if (ip) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()), host.c_str());
  } else {
    SSL_set1_host(ssl.get(), host.c_str());
    SSL_set_tlsext_host_name(ssl.get(), host.c_str());
  }
  problem = SSL_connect(ssl.get()) == 1 ? RefusalAfterHandshake(ssl.get(), fd) : OpenSslReason();
  ::close(fd);
  return problem;
}

}  // namespace fieldproof::mqtt_adapter
