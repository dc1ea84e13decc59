#pragma once
// A coverage report as JSON, for machines (docs/coverage.md lists the members).
#include <string>

#include "gateway/core/coverage.hpp"

namespace fieldproof::codec {

// Indented, ending with a newline. `overdue_limit` caps the overdue list (0: all).
std::string EncodeCoverageReport(const core::CoverageReport& report, std::size_t overdue_limit = 0);

}  // namespace fieldproof::codec
