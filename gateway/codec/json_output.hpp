#pragma once
// What every JSON document the codec writes has in common (view_codec.hpp): two-space
// indent, a final newline, invalid UTF-8 written as U+FFFD, times as RFC 3339, null for none.
// Internal to the codec.
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>

#include "gateway/core/timestamp.hpp"
#include "gateway/core/views.hpp"

namespace fieldproof::codec::json_output {

using json = nlohmann::ordered_json;

inline std::string Dump(const json& document, int indent = 2) {
  return document.dump(indent, ' ', false, json::error_handler_t::replace) + "\n";
}

inline json Time(core::UnixMillis t) { return core::FormatRfc3339(t); }

inline json Time(const std::optional<core::UnixMillis>& t) { return t ? Time(*t) : json(nullptr); }

template <class T, class Item>
json Array(std::span<const T> values, Item item) {
  json array = json::array();
  for (const auto& v : values) array.push_back(item(v));
  return array;
}

template <class T, class Item>
json PageJson(const core::Page<T>& page, Item item) {
  const auto& r = page.request;
  return {{"items", Array(std::span<const T>(page.items), item)},
          {"limit", r.limit},
          {"offset", r.offset},
          {"next_offset", page.more ? json(r.offset + r.limit) : json(nullptr)}};
}

}  // namespace fieldproof::codec::json_output
