#pragma once
// Identifier rules, shared by the wire contracts (schemas/common.json) and the CSV import.
#include <string_view>

namespace fieldproof::core {

bool IsSiteId(std::string_view s);     // ^[A-Za-z0-9][A-Za-z0-9_-]{0,24}$
bool IsEntityId(std::string_view s);   // ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$
bool IsMsgId(std::string_view s);      // ^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$
bool IsAssetType(std::string_view s);  // ^[a-z][a-z0-9_]{0,31}$
bool IsSnakeCode(std::string_view s);  // ^[a-z0-9_]{1,32}$ (checklist items, defect codes)
bool IsTagUid(std::string_view s);     // ^[0-9A-Fa-f]{14}$
bool IsFirmware(std::string_view s);   // ^[A-Za-z0-9._+-]{1,32}$

// The last path segment of a tag's URL when it is an entity id: tags commissioned for the
// handheld app carry their asset's id there (".../t/FRA-T1-F2-FS-0113?picc_data=..."), so the
// app knows the asset before anything is verified. Empty when there is none.
std::string_view EntityIdInTagUrl(std::string_view url);

// Unicode code points in UTF-8 text, as JSON Schema's minLength/maxLength count them.
std::size_t CodePointCount(std::string_view utf8);

}  // namespace fieldproof::core
