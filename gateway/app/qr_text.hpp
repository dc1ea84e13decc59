#pragma once
// A QR code drawn with Unicode half blocks, two modules per character cell, so that a phone
// camera can read it straight off a terminal (libqrencode encodes).
#include <qrencode.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace fieldproof::app {

inline std::string QrText(const std::string& data) {
  const std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!qr) throw std::runtime_error("cannot draw a QR code of " + std::to_string(data.size()) + " bytes");
  constexpr int kQuiet = 4;  // Light modules around the code, as the standard asks.
  const int size = qr->width;
  auto dark = [&](int x, int y) {
    return x >= 0 && y >= 0 && x < size && y < size && (qr->data[y * size + x] & 1);
  };
  // Light on dark terminals is the common case: a dark module is a blank, a light one a block.
  std::string out;
  for (int y = -kQuiet; y < size + kQuiet; y += 2) {
    for (int x = -kQuiet; x < size + kQuiet; ++x) {
      const bool top = !dark(x, y), bottom = !dark(x, y + 1);
      out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
    }
    out += "\n";
  }
  return out;
}

}  // namespace fieldproof::app
