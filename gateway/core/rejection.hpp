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

// A value or the reason it could not be produced. Rejections are normal outcomes, not errors.
template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Rejection rejection) : state_(std::move(rejection)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Rejection& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Rejection> state_;
};

}  // namespace fieldproof::core
