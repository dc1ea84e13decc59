#pragma once
// What a route handler of the API works with: the request, its principal and connection,
// the path's parameters, and the helpers that turn a bad request into its error response.
#include <boost/beast/http.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "gateway/core/access.hpp"
#include "gateway/core/rejection.hpp"
#include "gateway/core/timestamp.hpp"
#include "gateway/core/views.hpp"
#include "gateway/http/api.hpp"
#include "gateway/http/target.hpp"
#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::http {

namespace bhttp = boost::beast::http;

// Thrown by handlers and helpers; Api::Handle answers it as {"error": message}.
struct HttpError {
  bhttp::status status;
  std::string message;
};

[[noreturn]] void Fail(bhttp::status status, std::string message);
// A person's command refused by the core: 404, 409, 422 or 403 by the refusal's kind.
[[noreturn]] void Refuse(const core::Refusal& refusal);

Response Reply(bhttp::status status, std::string body, const char* type = "application/json");
Response JsonReply(std::string body);  // 200 with a JSON document from the codec.
core::UnixMillis Now();

class Call {
 public:
  Call(const Request& request, const Target& target, std::vector<std::string> args,
       store::Database& db, core::Principal principal, const ApiOptions& options)
      : request(request), target(target), args(std::move(args)), db(db),
        principal(std::move(principal)), options(options) {}

  // 403 unless the principal's role may.
  void Require(core::Capability capability) const;
  // The customer whose assets an owner sees; empty for the roles that see every customer.
  std::string Owner() const;
  // `site` if the principal sees it, else 404 as if it did not exist.
  const std::string& VisibleSite(const std::string& site);

  std::string Param(const std::string& key) const;  // "" when absent.
  // The path's {parameter} `index` as a whole number, or nullopt when it is not one.
  std::optional<std::int64_t> IntArg(std::size_t index) const;
  // ?key= as a whole number in [min, max]; `fallback` when absent; else 400.
  std::int64_t IntParam(const std::string& key, std::int64_t fallback, std::int64_t min,
                        std::int64_t max) const;
  // ?key= as a UTC day "YYYY-MM-DD": its first millisecond, or with `end` its last; nullopt
  // when absent; 400 when not a date.
  std::optional<core::UnixMillis> DayParam(const std::string& key, bool end) const;
  // ?limit= (1 to 500, default 100) and ?offset= of a paged list.
  core::PageRequest PageParams() const;

  const Request& request;
  const Target& target;
  const std::vector<std::string> args;  // The path's {parameters}, in order.
  store::Database& db;
  const core::Principal principal;
  const ApiOptions& options;
};

}  // namespace fieldproof::http
