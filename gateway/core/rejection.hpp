#pragma once
// Why a message was not accepted, and the Result type the core and codec return.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace fieldproof::core {

// Stable codes: they appear on the wire (rejection notices) and in the database.
enum class RejectReason {
  kPayloadTooLarge,
  kMalformedJson,
  kNotAnObject,
  kMissingField,
  kUnknownField,
  kWrongType,
  kInvalidValue,
  kUnknownTopic,
  kTopicMismatch,
  kUnknownAsset,
  kConflictingDuplicate,
};
inline constexpr std::size_t kRejectReasonCount = 11;

std::string_view ReasonCode(RejectReason reason);
std::optional<RejectReason> ParseReasonCode(std::string_view code);

struct Rejection {
  RejectReason reason;
  std::string detail;  // For people: which field, which rule.
};

// Why a command of a person (a review, a period close, a credit note) was refused. The kind
// tells an adapter how to answer (HTTP 404, 409, 422, 403); the detail says why, for people.
enum class RefusalKind { kNotFound, kConflict, kInvalid, kForbidden };
std::string_view ToString(RefusalKind kind);

struct Refusal {
  RefusalKind kind;
  std::string detail;
};

// A value or the reason it could not be produced: a Rejection for what a device sent, a
// Refusal for what a person asked. Both are normal outcomes, not errors.
template <class T, class Why = Rejection>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Why why) : state_(std::move(why)) {}    // NOLINT

  bool ok() const { return state_.index() == 0; }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Why& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Why> state_;
};

// What a person's command gives: a value, or why it was refused.
template <class T>
using Decision = Result<T, Refusal>;

}  // namespace fieldproof::core
