#pragma once
// What a simulated handheld's camera takes: a small real PNG (80 × 60 pixels) whose colours
// come from `seed`, so that each visit's photo differs and any viewer shows it. Pure.
#include <cstdint>
#include <string>

namespace fieldproof::sim {

std::string SimulatedPhoto(std::uint64_t seed);

}  // namespace fieldproof::sim
