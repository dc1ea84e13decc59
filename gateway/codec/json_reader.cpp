#include "gateway/codec/json_reader.hpp"

#include "gateway/core/identifiers.hpp"
#include "gateway/core/text.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

namespace fieldproof::codec {

using core::RejectReason;

void Fail(RejectReason reason, std::string detail) {
  throw DecodeFailure{{reason, std::move(detail)}};
}

namespace {

// The first key given twice in one object, at any depth.
std::optional<std::string_view> DuplicateKey(JsonValue value) {
  if (simdjson::dom::array array; value.get_array().get(array) == simdjson::SUCCESS) {
    for (JsonValue item : array) {
      if (auto duplicate = DuplicateKey(item)) return duplicate;
    }
    return std::nullopt;
  }
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  std::vector<std::string_view> keys;
  for (auto [key, member] : object) {
    if (auto duplicate = DuplicateKey(member)) return duplicate;
    keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  if (auto it = std::adjacent_find(keys.begin(), keys.end()); it != keys.end()) return *it;
  return std::nullopt;
}

using Multiline = std::initializer_list<std::string_view>;

void ExpectPlainMembers(simdjson::dom::object object, const std::string& path, Multiline multiline);

void ExpectPlainValue(JsonValue value, const std::string& path, Multiline multiline) {
  if (std::string_view text; value.get_string().get(text) == simdjson::SUCCESS) {
    const bool lines = std::find(multiline.begin(), multiline.end(), path) != multiline.end();
    const auto problem = core::PlainTextProblem(
        text, lines ? core::LineBreaks::kAllowed : core::LineBreaks::kRefused);
    if (problem) Fail(RejectReason::kInvalidValue, path + ": " + *problem);
  } else if (simdjson::dom::array array; value.get_array().get(array) == simdjson::SUCCESS) {
    std::size_t index = 0;
    for (JsonValue item : array) {
      ExpectPlainValue(item, path + "/" + std::to_string(index++), multiline);
    }
  } else if (simdjson::dom::object object; value.get_object().get(object) == simdjson::SUCCESS) {
    ExpectPlainMembers(object, path, multiline);
  }
}

void ExpectPlainMembers(simdjson::dom::object object, const std::string& path,
                        Multiline multiline) {
  for (auto [key, member] : object) {
    if (const auto problem = core::PlainTextProblem(key)) {
      Fail(RejectReason::kInvalidValue,
           (path.empty() ? "/" : path) + ": a member name " + *problem);
    }
    ExpectPlainValue(member, path + "/" + std::string(key), multiline);
  }
}

}  // namespace

JsonValue ParseObject(simdjson::dom::parser& parser, std::string_view text) {
  // (An empty view may have no data pointer, which simdjson would copy from.)
  if (text.empty()) Fail(RejectReason::kMalformedJson, "payload is empty");
  JsonValue parsed;
  if (const auto error = parser.parse(text.data(), text.size()).get(parsed);
      error != simdjson::SUCCESS) {
    // simdjson's reason, e.g. "Problem while parsing a number" for 1e400 or 2^70.
    Fail(RejectReason::kMalformedJson,
         std::string("payload is not valid UTF-8 JSON: ") + simdjson::error_message(error));
  }
  // A key given twice is refused: readers disagree on which one counts (JSON.parse and
  // nlohmann take the last, simdjson's lookup the first), which would let one payload say
  // two things.
  if (auto duplicate = DuplicateKey(parsed)) {
    Fail(RejectReason::kMalformedJson,
         "key \"" + std::string(*duplicate) + "\" appears twice in one object");
  }
  if (!parsed.is_object()) Fail(RejectReason::kNotAnObject, "payload must be a JSON object");
  return parsed;
}

JsonReader::JsonReader(JsonValue object, std::string path) : path_(std::move(path)) {
  if (object.get_object().get(object_) != simdjson::SUCCESS) {
    Fail(RejectReason::kWrongType, (path_.empty() ? "/" : path_) + ": expected an object");
  }
}

void JsonReader::ExpectMembers(std::initializer_list<std::string_view> required,
                               std::initializer_list<std::string_view> optional) const {
  auto listed = [](std::initializer_list<std::string_view> keys, std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  };
  for (auto [key, value] : object_) {
    if (!listed(required, key) && !listed(optional, key)) {
      Fail(RejectReason::kUnknownField, PathOf(key) + ": unknown field");
    }
  }
  for (std::string_view key : required) {
    if (!Has(key)) Fail(RejectReason::kMissingField, PathOf(key) + ": required field is missing");
  }
}

void JsonReader::ExpectPlainText(std::initializer_list<std::string_view> multiline) const {
  ExpectPlainMembers(object_, path_, multiline);
}

bool JsonReader::Has(std::string_view key) const {
  return object_.at_key(key).error() == simdjson::SUCCESS;
}

bool JsonReader::IsNull(std::string_view key) const {
  JsonValue value;
  return object_.at_key(key).get(value) == simdjson::SUCCESS && value.is_null();
}

JsonValue JsonReader::At(std::string_view key) const {
  JsonValue value;
  if (object_.at_key(key).get(value) != simdjson::SUCCESS) {
    Fail(RejectReason::kMissingField, PathOf(key) + ": required field is missing");
  }
  return value;
}

std::string JsonReader::PathOf(std::string_view key) const {
  return path_ + "/" + std::string(key);
}

std::string JsonReader::String(std::string_view key) const {
  std::string_view value;
  if (At(key).get_string().get(value) != simdjson::SUCCESS) {
    Fail(RejectReason::kWrongType, PathOf(key) + ": expected a string");
  }
  return std::string(value);
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
  const JsonValue value = At(key);
  std::int64_t result = 0;
  bool in_range = true;
  double d = 0;
  if (value.is_int64()) {
    result = value.get_int64().value_unsafe();
  } else if (value.is_uint64()) {
    in_range = false;  // simdjson keeps only integers above int64's range as unsigned.
  } else if (value.get_double().get(d) == simdjson::SUCCESS && std::trunc(d) == d) {
    // JSON Schema counts 5.0 as an integer; so do we.
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
  double d = 0;
  if (At(key).get_double().get(d) != simdjson::SUCCESS) {
    Fail(RejectReason::kWrongType, PathOf(key) + ": expected a number");
  }
  if (!(d >= min && d <= max)) {
    Fail(RejectReason::kInvalidValue, PathOf(key) + ": out of range");
  }
  return d;
}

bool JsonReader::Boolean(std::string_view key) const {
  bool value = false;
  if (At(key).get_bool().get(value) != simdjson::SUCCESS) {
    Fail(RejectReason::kWrongType, PathOf(key) + ": expected true or false");
  }
  return value;
}

core::UnixMillis JsonReader::Timestamp(std::string_view key) const {
  auto parsed = core::ParseRfc3339(String(key));
  if (!parsed) {
    Fail(RejectReason::kInvalidValue,
         PathOf(key) + ": must be an RFC 3339 date-time with offset, e.g. 2026-11-23T08:15:00Z");
  }
  return *parsed;
}

std::vector<JsonValue> JsonReader::Array(std::string_view key, std::size_t min_items,
                                         std::size_t max_items) const {
  simdjson::dom::array array;
  if (At(key).get_array().get(array) != simdjson::SUCCESS) {
    Fail(RejectReason::kWrongType, PathOf(key) + ": expected an array");
  }
  const std::size_t size = array.size();  // Constant time; saturates at 2^24 - 1.
  if (size < min_items || size > max_items) {
    Fail(RejectReason::kInvalidValue, PathOf(key) + ": must hold " + std::to_string(min_items) +
                                          " to " + std::to_string(max_items) + " items");
  }
  std::vector<JsonValue> items;
  items.reserve(size);
  for (JsonValue item : array) items.push_back(item);
  return items;
}

}  // namespace fieldproof::codec
