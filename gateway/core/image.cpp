#include "gateway/core/image.hpp"

#include <algorithm>

namespace fieldproof::core {

std::string_view MediaType(ImageType type) {
  return type == ImageType::kJpeg ? "image/jpeg" : "image/png";
}

std::optional<ImageType> SniffImage(std::string_view bytes) {
  // SOI (FF D8), then the next segment's marker (FF, then not 00 or FF).
  if (bytes.size() >= 4 && bytes.substr(0, 3) == "\xFF\xD8\xFF" &&
      bytes[3] != '\x00' && bytes[3] != '\xFF') {
    return ImageType::kJpeg;
  }
  // Signature, then the first chunk: length 13, type IHDR.
  constexpr std::string_view kPngStart("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", 16);
  if (bytes.size() >= kPngStart.size() && bytes.substr(0, kPngStart.size()) == kPngStart) {
    return ImageType::kPng;
  }
  return std::nullopt;
}

bool IsPhotoHash(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace fieldproof::core
