#pragma once
// Commissioning NFC tags (docs/handheld.md): which tag may be installed on an asset. A tag is
// installed only when a valid SUN read proves it; a retired tag never comes back; a UID can
// be on one asset only; where suppliers' UID lists were imported, only their tags may be
// installed; replacing a tag needs a reason. Pure.
#include <optional>
#include <string>
#include <string_view>

#include "gateway/core/rejection.hpp"
#include "gateway/core/timestamp.hpp"

namespace fieldproof::core {

// Who put on or took off the tags of the asset CSV. A tag the registry took off is not
// retired for good, as a replaced one is: the registry may correct its own mistakes.
inline constexpr std::string_view kRegistryImport = "registry import";

// One tag on one asset, from its installation to its retirement.
struct TagTenure {
  std::string asset_id;
  std::string tag_uid;
  UnixMillis installed_at = 0;
  std::string installed_by;
  std::string proof;  // How the tag was shown to be there: a SUN read, or the registry import.
  std::optional<UnixMillis> retired_at;
  std::string retired_by;
  std::string retired_reason;
};

struct TagInstall {
  std::string asset_id;
  std::string uid;                             // From a valid SUN read of the new tag.
  std::string current_uid;                     // The asset's tag now; empty for none.
  std::optional<std::string> on_other_asset;   // The asset that carries `uid` now.
  std::optional<TagTenure> retired;            // `uid`'s retirement, if it was retired.
  bool supplier_lists = false;                 // Any supplier's UID list was imported...
  bool supplied = false;                       // ...and `uid` is on one.
  bool replace = false;                        // The asset's current tag is to be retired...
  std::string reason;                          // ...for this reason.
};

std::optional<Refusal> RefuseTagInstall(const TagInstall& install);

// The detail a read of a retired tag is refused with.
std::string RetiredTagDetail(const TagTenure& retired);

}  // namespace fieldproof::core
