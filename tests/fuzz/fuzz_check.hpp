#pragma once
// A property a fuzz target asserts beyond "no crash": when it fails, print why and abort,
// so libFuzzer (or replay_main.cpp) reports the input as a finding.
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace fieldproof::fuzz {

inline void Check(bool holds, std::string_view what, std::string_view detail = {}) {
  if (holds) return;
  if (detail.data() == nullptr) detail = std::string_view("", 0);  // %.*s takes no null.
  std::fprintf(stderr, "fuzz property violated: %.*s %.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

}  // namespace fieldproof::fuzz
