#pragma once
// The one place the executables read the wall clock; the core takes time as an argument.
#include <chrono>

#include "gateway/core/timestamp.hpp"

namespace fieldproof::app {

inline core::UnixMillis NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace fieldproof::app
