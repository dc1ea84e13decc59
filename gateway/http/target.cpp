#include "gateway/http/target.hpp"

namespace fieldproof::http {
namespace {

std::optional<std::string> Decode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::optional<Target> ParseTarget(std::string_view target) {
  if (target.empty() || target[0] != '/') return std::nullopt;
  Target t;
  const auto q = target.find('?');
  const std::string_view path = target.substr(0, q);
  for (std::size_t start = 1; start <= path.size();) {
    const auto slash = path.find('/', start);
    const std::string_view seg = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!seg.empty()) {
      auto decoded = Decode(seg, false);
      if (!decoded) return std::nullopt;
      t.segments.push_back(std::move(*decoded));
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (q != std::string_view::npos) {
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      const std::string_view pair = rest.substr(0, amp);
      const auto eq = pair.find('=');
      auto key = Decode(pair.substr(0, eq), true);
      auto value =
          Decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
      if (!key || !value) return std::nullopt;
      if (!key->empty()) t.query[*key] = *value;
      if (amp == std::string_view::npos) break;
      rest = rest.substr(amp + 1);
    }
  }
  return t;
}

}  // namespace fieldproof::http
