#pragma once
// Strict, typed access to one JSON object, reporting the first violation as a
// Rejection with a JSON-pointer path. Internal to the codec: failures travel as a
// DecodeFailure exception and are turned into a Result at the Decode* boundary.
//
// Reading is simdjson's DOM (writing stays nlohmann's): every inbound message is parsed
// here, and simdjson builds its tape without an allocation per value.
#include <simdjson.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/core/rejection.hpp"
#include "gateway/core/timestamp.hpp"

namespace fieldproof::codec {

struct DecodeFailure {
  core::Rejection rejection;
};

[[noreturn]] void Fail(core::RejectReason reason, std::string detail);

using JsonValue = simdjson::dom::element;

// Parses a whole payload; malformed text -> malformed_json, non-object -> not_an_object.
// The value lives in `parser`. DecodeObject uses a parser per call, not one per thread: a
// thread_local one is destroyed as Paho's threads exit, and a gateway crashed on stop once
// (SIGSEGV, CI, 2026-11-24) while it was thread_local; not proven to be the cause.
JsonValue ParseObject(simdjson::dom::parser& parser, std::string_view text);

class JsonReader;

// Parses `text` as one object and runs `decode` on it, turning the reader's first failure
// into a Rejection: the boundary every Decode* function is built on.
template <class T, class F>
core::Result<T> DecodeObject(std::string_view text, F&& decode);

class JsonReader {
 public:
  using Rule = bool (*)(std::string_view);

  // `object` must be a JSON object, else wrong_type at `path`.
  JsonReader(JsonValue object, std::string path);

  // Rejects members not listed (unknown_field), then absent required ones (missing_field).
  void ExpectMembers(std::initializer_list<std::string_view> required,
                     std::initializer_list<std::string_view> optional = {}) const;

  // Rejects (invalid_value) the first string or member name, at any depth, that is not plain
  // text (core::PlainTextProblem): no control characters, no noncharacters. Strings at the
  // paths in `multiline` (e.g. "/payment/terms_note") may hold tabs and line breaks.
  void ExpectPlainText(std::initializer_list<std::string_view> multiline = {}) const;

  bool Has(std::string_view key) const;
  bool IsNull(std::string_view key) const;  // Present and null.
  JsonValue At(std::string_view key) const;
  std::string PathOf(std::string_view key) const;
  // The members in document order, as `.key` and `.value`.
  simdjson::dom::object Members() const { return object_; }

  std::string String(std::string_view key) const;  // Any string.
  std::string String(std::string_view key, Rule rule, std::string_view rule_text) const;
  std::string Text(std::string_view key, std::size_t min_chars, std::size_t max_chars) const;
  std::int64_t Integer(std::string_view key, std::int64_t min, std::int64_t max) const;
  double Number(std::string_view key, double min, double max) const;
  bool Boolean(std::string_view key) const;
  core::UnixMillis Timestamp(std::string_view key) const;
  std::vector<JsonValue> Array(std::string_view key, std::size_t min_items,
                               std::size_t max_items) const;

  template <class E>
  E Enum(std::string_view key, std::optional<E> (*parse)(std::string_view),
         std::string_view allowed) const {
    if (auto value = parse(String(key))) return *value;
    Fail(core::RejectReason::kInvalidValue, PathOf(key) + ": must be one of " + std::string(allowed));
  }

 private:
  simdjson::dom::object object_;
  std::string path_;
};

template <class T, class F>
core::Result<T> DecodeObject(std::string_view text, F&& decode) {
  try {
    simdjson::dom::parser parser;
    return decode(JsonReader(ParseObject(parser, text), ""));
  } catch (const DecodeFailure& failure) {
    return failure.rejection;
  }
}

}  // namespace fieldproof::codec
