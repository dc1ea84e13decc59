#pragma once
// Photos a technician takes of an inspection: JPEG or PNG, told by their content, never by a
// name or a header the sender chose. Pure.
#include <optional>
#include <string_view>

namespace fieldproof::core {

enum class ImageType { kJpeg, kPng };
std::string_view MediaType(ImageType type);  // image/jpeg | image/png

// The type `bytes` are, checking the start of the file's structure: JPEG's start-of-image
// marker followed by another marker; PNG's eight-byte signature followed by its IHDR chunk.
std::optional<ImageType> SniffImage(std::string_view bytes);

// A photo's name in the store: its SHA-256 as 64 lowercase hex digits.
bool IsPhotoHash(std::string_view text);

}  // namespace fieldproof::core
