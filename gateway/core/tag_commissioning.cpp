#include "gateway/core/tag_commissioning.hpp"

namespace fieldproof::core {

std::optional<Refusal> RefuseTagInstall(const TagInstall& t) {
  if (t.retired) return Refusal{RefusalKind::kConflict, RetiredTagDetail(*t.retired)};
  if (t.uid == t.current_uid) {
    return Refusal{RefusalKind::kConflict, t.asset_id + " carries tag " + t.uid + " already"};
  }
  if (t.on_other_asset) {
    return Refusal{RefusalKind::kConflict, "tag " + t.uid + " is on asset " + *t.on_other_asset +
                                               "; a tag belongs to one asset"};
  }
  if (t.supplier_lists && !t.supplied) {
    return Refusal{RefusalKind::kForbidden,
                   "tag " + t.uid + " is on no supplier's list (fieldproof tag import-supplied)"};
  }
  if (!t.current_uid.empty() && !t.replace) {
    return Refusal{RefusalKind::kConflict, t.asset_id + " carries tag " + t.current_uid +
                                               "; replacing it needs --replace and a reason"};
  }
  if (t.replace && t.reason.empty()) {
    return Refusal{RefusalKind::kInvalid, "a replaced tag needs the reason it was replaced"};
  }
  return std::nullopt;
}

std::string RetiredTagDetail(const TagTenure& retired) {
  return "tag " + retired.tag_uid + " was retired from asset " + retired.asset_id + " on " +
         FormatRfc3339(retired.retired_at.value_or(0)) + " (" + retired.retired_reason +
         "); a retired tag no longer counts";
}

}  // namespace fieldproof::core
