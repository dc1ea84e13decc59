#pragma once
// A coverage report as JSON (schemas/coverage-report.json), for machines and the API.
#include <string>

#include "gateway/core/coverage.hpp"

namespace fieldproof::codec {

// Indented, ending with a newline. `overdue_limit` caps the overdue list (0: all).
std::string EncodeCoverageReport(const core::CoverageReport& report, std::size_t overdue_limit = 0);

}  // namespace fieldproof::codec
