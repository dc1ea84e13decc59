#pragma once
// The dashboard's files (gateway/http/dashboard/), compiled into the gateway so it serves
// them without any files next to the binary and without anything from elsewhere.
#include <string_view>

namespace fieldproof::http {

struct StaticAsset {
  std::string_view path;  // "/dashboard/app.js"
  std::string_view content_type;
  std::string_view body;
};

// nullptr when there is no such file; "/dashboard/" is index.html.
const StaticAsset* FindDashboardAsset(std::string_view path);

}  // namespace fieldproof::http
