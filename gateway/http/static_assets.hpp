#pragma once
// The dashboard's and the handheld app's files (gateway/http/dashboard/, gateway/http/app/),
// compiled into the gateway so it serves them without any files next to the binary and
// without anything from elsewhere.
#include <string_view>

namespace fieldproof::http {

struct StaticAsset {
  std::string_view path;  // "/dashboard/app.js"
  std::string_view content_type;
  std::string_view body;
};

// nullptr when there is no such file; "/dashboard/" and "/app/" are their index.html.
const StaticAsset* FindStaticAsset(std::string_view path);

}  // namespace fieldproof::http
