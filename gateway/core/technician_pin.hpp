#pragma once
// A technician's PIN for signing in on a handheld (docs/handheld.md): 4 to 12 digits, kept
// as a salted PBKDF2 hash. Five wrong PINs in a row lock the technician's sign-in for 15
// minutes, so guessing a 4-digit PIN from a stolen handheld takes weeks. Pure.
#include <string_view>

#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

inline constexpr int kPinIterations = 100'000;
inline constexpr int kPinFailuresBeforeLock = 5;
inline constexpr UnixMillis kPinLock = 15 * 60 * 1000;

bool IsPin(std::string_view pin);

struct PinAttempts {
  int failures = 0;            // Wrong PINs since the last right one or the last lock.
  UnixMillis locked_until = 0;

  bool LockedAt(UnixMillis now) const { return now < locked_until; }
};

// After a wrong PIN: one more failure, and the lock when that makes five.
PinAttempts AfterWrongPin(PinAttempts attempts, UnixMillis now);

}  // namespace fieldproof::core
