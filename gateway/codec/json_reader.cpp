#include "gateway/codec/json_reader.hpp"

#include "gateway/core/identifiers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

namespace fieldproof::codec {

using core::RejectReason;
using nlohmann::json;

void Fail(RejectReason reason, std::string detail) {
  throw DecodeFailure{{reason, std::move(detail)}};
}

json ParseObject(std::string_view text) {
  // A key given twice is refused: readers disagree on which one counts (JSON.parse and
  // nlohmann take the last, others the first), which would let one payload say two things.
  std::vector<std::set<std::string>> open_objects;
  std::string duplicate;
  const json::parser_callback_t track_keys = [&](int, json::parse_event_t event, json& value) {
    if (event == json::parse_event_t::object_start) {
      open_objects.emplace_back();
    } else if (event == json::parse_event_t::object_end && !open_objects.empty()) {
      open_objects.pop_back();
    } else if (event == json::parse_event_t::key && !open_objects.empty() && duplicate.empty() &&
               !open_objects.back().insert(value.get<std::string>()).second) {
      duplicate = value.get<std::string>();
    }
    return true;
  };
  json parsed = json::parse(text.begin(), text.end(), track_keys, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) Fail(RejectReason::kMalformedJson, "payload is not valid UTF-8 JSON");
  if (!duplicate.empty()) {
    Fail(RejectReason::kMalformedJson, "key \"" + duplicate + "\" appears twice in one object");
  }
  if (!parsed.is_object()) Fail(RejectReason::kNotAnObject, "payload must be a JSON object");
  return parsed;
}

JsonReader::JsonReader(const json& object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (!object_.is_object()) Fail(RejectReason::kWrongType, (path_.empty() ? "/" : path_) + ": expected an object");
}

void JsonReader::ExpectMembers(std::initializer_list<std::string_view> required,
                               std::initializer_list<std::string_view> optional) const {
  auto listed = [](std::initializer_list<std::string_view> keys, std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  };
  for (const auto& [key, value] : object_.items()) {
    if (!listed(required, key) && !listed(optional, key)) {
      Fail(RejectReason::kUnknownField, PathOf(key) + ": unknown field");
    }
  }
  for (std::string_view key : required) {
    if (!Has(key)) Fail(RejectReason::kMissingField, PathOf(key) + ": required field is missing");
  }
}

bool JsonReader::Has(std::string_view key) const { return object_.contains(key); }

const json& JsonReader::At(std::string_view key) const {
  auto it = object_.find(key);
  if (it == object_.end()) Fail(RejectReason::kMissingField, PathOf(key) + ": required field is missing");
  return *it;
}

std::string JsonReader::PathOf(std::string_view key) const {
  return path_ + "/" + std::string(key);
}

std::string JsonReader::String(std::string_view key) const {
  const json& value = At(key);
  if (!value.is_string()) Fail(RejectReason::kWrongType, PathOf(key) + ": expected a string");
  return value.get<std::string>();
}

std::string JsonReader::String(std::string_view key, Rule rule, std::string_view rule_text) const {
  std::string value = String(key);
  if (!rule(value)) {
    Fail(RejectReason::kInvalidValue, PathOf(key) + ": must match " + std::string(rule_text));
  }
  return value;
}

std::string JsonReader::Text(std::string_view key, std::size_t min_chars,
                             std::size_t max_chars) const {
  std::string value = String(key);
  const std::size_t chars = core::CodePointCount(value);
  if (chars < min_chars || chars > max_chars) {
    Fail(RejectReason::kInvalidValue, PathOf(key) + ": must be " + std::to_string(min_chars) +
                                          " to " + std::to_string(max_chars) + " characters");
  }
  return value;
}

std::int64_t JsonReader::Integer(std::string_view key, std::int64_t min, std::int64_t max) const {
  const json& value = At(key);
  std::int64_t result = 0;
  bool in_range = true;
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    in_range = u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    result = in_range ? static_cast<std::int64_t>(u) : 0;
  } else if (value.is_number_integer()) {
    result = value.get<std::int64_t>();
  } else if (value.is_number_float() && std::trunc(value.get<double>()) == value.get<double>()) {
    // JSON Schema counts 5.0 as an integer; so do we.
    const double d = value.get<double>();
    in_range = std::abs(d) < 9.2e18;
    result = in_range ? static_cast<std::int64_t>(d) : 0;
  } else {
    Fail(RejectReason::kWrongType, PathOf(key) + ": expected an integer");
  }
  if (!in_range || result < min || result > max) {
    Fail(RejectReason::kInvalidValue, PathOf(key) + ": must be between " + std::to_string(min) +
                                          " and " + std::to_string(max));
  }
  return result;
}

double JsonReader::Number(std::string_view key, double min, double max) const {
  const json& value = At(key);
  if (!value.is_number()) Fail(RejectReason::kWrongType, PathOf(key) + ": expected a number");
  const double d = value.get<double>();
  if (!(d >= min && d <= max)) {
    Fail(RejectReason::kInvalidValue, PathOf(key) + ": out of range");
  }
  return d;
}

bool JsonReader::Boolean(std::string_view key) const {
  const json& value = At(key);
  if (!value.is_boolean()) Fail(RejectReason::kWrongType, PathOf(key) + ": expected true or false");
  return value.get<bool>();
}

core::UnixMillis JsonReader::Timestamp(std::string_view key) const {
  auto parsed = core::ParseRfc3339(String(key));
  if (!parsed) {
    Fail(RejectReason::kInvalidValue,
         PathOf(key) + ": must be an RFC 3339 date-time with offset, e.g. 2026-11-23T08:15:00Z");
  }
  return *parsed;
}

const json& JsonReader::Array(std::string_view key, std::size_t min_items,
                              std::size_t max_items) const {
  const json& value = At(key);
  if (!value.is_array()) Fail(RejectReason::kWrongType, PathOf(key) + ": expected an array");
  if (value.size() < min_items || value.size() > max_items) {
    Fail(RejectReason::kInvalidValue, PathOf(key) + ": must hold " + std::to_string(min_items) +
                                          " to " + std::to_string(max_items) + " items");
  }
  return value;
}

}  // namespace fieldproof::codec
