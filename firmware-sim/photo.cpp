#include "firmware-sim/photo.hpp"

#include <array>

namespace fieldproof::sim {
namespace {

constexpr int kWidth = 80;
constexpr int kHeight = 60;

std::uint32_t Crc32(const std::string& bytes) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::uint32_t Adler32(const std::string& bytes) {
  std::uint32_t a = 1, b = 0;
  for (unsigned char byte : bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return (b << 16) | a;
}

void PutBigEndian(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

void PutChunk(std::string& out, const char* type, const std::string& data) {
  PutBigEndian(out, static_cast<std::uint32_t>(data.size()));
  const std::string typed = type + data;
  out += typed;
  PutBigEndian(out, Crc32(typed));
}

// Rows of RGB pixels, each after its filter byte (0: none): a colour field with a band.
std::string Pixels(std::uint64_t seed) {
  std::string raw;
  raw.reserve(kHeight * (1 + 3 * kWidth));
  const auto colour = [seed](int shift) { return static_cast<unsigned char>(seed >> shift); };
  for (int y = 0; y < kHeight; ++y) {
    raw.push_back(0);
    for (int x = 0; x < kWidth; ++x) {
      const bool band = (x + y + static_cast<int>(seed % 40)) % 40 < 8;
      raw.push_back(static_cast<char>(band ? 240 : colour(0) / 2 + x));
      raw.push_back(static_cast<char>(band ? 200 : colour(8) / 2 + y));
      raw.push_back(static_cast<char>(band ? 40 : colour(16) / 2 + 40));
    }
  }
  return raw;
}

// A zlib stream of one stored (uncompressed) deflate block: no compression library needed.
std::string StoredZlib(const std::string& raw) {
  std::string z = {'\x78', '\x01', '\x01'};
  const auto length = static_cast<std::uint16_t>(raw.size());
  z.push_back(static_cast<char>(length & 0xFF));
  z.push_back(static_cast<char>(length >> 8));
  z.push_back(static_cast<char>(~length & 0xFF));
  z.push_back(static_cast<char>((~length >> 8) & 0xFF));
  z += raw;
  PutBigEndian(z, Adler32(raw));
  return z;
}

}  // namespace

std::string SimulatedPhoto(std::uint64_t seed) {
  std::string png = "\x89PNG\r\n\x1A\n";
  std::string header;
  PutBigEndian(header, kWidth);
  PutBigEndian(header, kHeight);
  header += {'\x08', '\x02', '\x00', '\x00', '\x00'};  // 8 bits, RGB, deflate, no filter, no interlace.
  PutChunk(png, "IHDR", header);
  PutChunk(png, "IDAT", StoredZlib(Pixels(seed)));
  PutChunk(png, "IEND", "");
  return png;
}

}  // namespace fieldproof::sim
