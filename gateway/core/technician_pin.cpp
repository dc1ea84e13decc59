#include "gateway/core/technician_pin.hpp"

#include <algorithm>

namespace fieldproof::core {

bool IsPin(std::string_view pin) {
  return pin.size() >= 4 && pin.size() <= 12 &&
         std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

PinAttempts AfterWrongPin(PinAttempts attempts, UnixMillis now) {
  if (++attempts.failures < kPinFailuresBeforeLock) return attempts;
  return {0, now + kPinLock};
}

}  // namespace fieldproof::core
