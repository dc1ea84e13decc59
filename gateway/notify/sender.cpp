#include "gateway/notify/sender.hpp"

#include <curl/curl.h>

#include <ctime>
#include <memory>
#include <mutex>

#include "gateway/codec/notification_codec.hpp"
#include "gateway/core/text.hpp"
#include "gateway/crypto/sha256.hpp"

namespace fieldproof::notify {
namespace {

constexpr long kConnectTimeoutMs = 5000;
constexpr long kTimeoutMs = 15000;

using Easy = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using Headers = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

Easy NewEasy() {
  Easy curl(curl_easy_init(), curl_easy_cleanup);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, kTimeoutMs);
  return curl;
}

void Append(Headers& list, const std::string& header) { list.reset(curl_slist_append(list.release(), header.c_str())); }

// The start of what the receiver answered, for the log.
std::size_t KeepAnswer(char* data, std::size_t size, std::size_t count, void* out) {
  auto* answer = static_cast<std::string*>(out);
  if (answer->size() < 200) answer->append(data, std::min(size * count, 200 - answer->size()));
  return size * count;
}

std::string CurlError(CURLcode code, const char* detail) {
  return detail && *detail ? std::string(detail) : std::string(curl_easy_strerror(code));
}

// RFC 2047: a subject line that may hold any UTF-8.
std::string EncodedWord(const std::string& text) { return "=?UTF-8?B?" + core::Base64(text) + "?="; }

// SMTP lines end in CRLF; the JSON inside ends its lines in LF.
std::string ToCrlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

struct Upload {
  std::string data;
  std::size_t at = 0;
};

std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t count, void* in) {
  auto* upload = static_cast<Upload*>(in);
  const std::size_t n = std::min(size * count, upload->data.size() - upload->at);
  upload->data.copy(buffer, n, upload->at);
  upload->at += n;
  return n;
}

std::string RfcDate(core::UnixMillis now) {
  const std::time_t t = static_cast<std::time_t>(now / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return text;
}

}  // namespace

void InitialiseSending() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

SendResult SendWebhook(const core::Subscription& sub, const core::Event& e, std::int64_t delivery_id,
                       core::UnixMillis now) {
  Easy curl = NewEasy();
  if (!curl) return {false, "libcurl could not start"};
  const std::string timestamp = std::to_string(now / 1000);
  Headers headers(nullptr, curl_slist_free_all);
  Append(headers, "Content-Type: application/json");
  Append(headers, "X-Fieldproof-Event: " + std::string(core::ToString(e.kind)));
  Append(headers, "X-Fieldproof-Delivery: " + std::to_string(delivery_id));
  Append(headers, "Idempotency-Key: " + e.key);
  Append(headers, "X-Fieldproof-Timestamp: " + timestamp);
  Append(headers, "X-Fieldproof-Signature: sha256=" + crypto::HmacSha256Hex(sub.secret, timestamp + "." + e.body));
  Append(headers, "Expect:");  // No 100-continue round trip.
  std::string answer;
  char detail[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl.get(), CURLOPT_URL, sub.target.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "fieldproof");
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, e.body.data());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(e.body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, KeepAnswer);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, detail);
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) return {false, CurlError(code, detail)};
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) {
    return {false, "HTTP " + std::to_string(status) + (answer.empty() ? "" : ": " + core::PrintableText(answer))};
  }
  return {true, ""};
}

SendResult SendEmail(const SmtpRelay& relay, const core::Subscription& sub, const core::Event& e,
                     core::UnixMillis now) {
  if (relay.url.empty()) return {false, "no SMTP relay configured (--smtp-url)"};
  Easy curl = NewEasy();
  if (!curl) return {false, "libcurl could not start"};
  Upload upload{"Date: " + RfcDate(now) + "\r\nFrom: fieldproof <" + relay.from + ">\r\nTo: <" + sub.target +
                    ">\r\nSubject: " + EncodedWord(e.title) + "\r\nMessage-ID: <" + e.key + "." +
                    std::to_string(sub.id) + "@fieldproof>\r\nMIME-Version: 1.0\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
                    ToCrlf(codec::EmailText(e)) + "\r\n",
                0};
  Headers recipients(nullptr, curl_slist_free_all);
  Append(recipients, "<" + sub.target + ">");
  char detail[CURL_ERROR_SIZE] = "";
  const std::string from = "<" + relay.from + ">";
  curl_easy_setopt(curl.get(), CURLOPT_URL, relay.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl.get(), CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(curl.get(), CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, detail);
  const CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) return {false, CurlError(code, detail)};
  return {true, ""};
}

}  // namespace fieldproof::notify
