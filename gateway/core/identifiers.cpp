#include "gateway/core/identifiers.hpp"

#include <algorithm>

namespace fieldproof::core {
namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// First character alphanumeric, the rest alphanumeric or one of `extra`, length 1..max_len.
bool IsIdentifier(std::string_view s, std::string_view extra, std::size_t max_len) {
  if (s.empty() || s.size() > max_len || !IsAlnum(s.front())) return false;
  return std::all_of(s.begin() + 1, s.end(),
                     [&](char c) { return IsAlnum(c) || extra.find(c) != std::string_view::npos; });
}

}  // namespace

bool IsSiteId(std::string_view s) { return IsIdentifier(s, "_-", 25); }
bool IsEntityId(std::string_view s) { return IsIdentifier(s, "._-", 64); }
bool IsMsgId(std::string_view s) { return IsIdentifier(s, "._:-", 64); }

bool IsAssetType(std::string_view s) {
  if (s.empty() || s.size() > 32 || !(s.front() >= 'a' && s.front() <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsSnakeCode(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsTagUid(std::string_view s) { return s.size() == 14 && std::all_of(s.begin(), s.end(), IsHex); }

bool IsFirmware(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return IsAlnum(c) || c == '.' || c == '_' || c == '+' || c == '-';
  });
}

std::string_view EntityIdInTagUrl(std::string_view url) {
  const std::string_view path = url.substr(0, url.find_first_of("?#"));
  const auto scheme = path.find("://");
  if (scheme == std::string_view::npos) return {};
  const auto slash = path.rfind('/');
  if (slash < scheme + 3) return {};  // No path: the last segment is the host.
  const std::string_view last = path.substr(slash + 1);
  return IsEntityId(last) ? last : std::string_view{};
}

std::size_t CodePointCount(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace fieldproof::core
