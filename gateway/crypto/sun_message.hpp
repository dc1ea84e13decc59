// NTAG 424 DNA Secure Dynamic Messaging: parsing, verifying and generating
// SUN (Secure Unique NFC) URLs, AES mode, per NXP AN12196 and the NT4H2421Gx
// data sheet.
//
// What a tag emits on every read (AES mode, the layout this project uses):
//
//   <base>?picc_data=<32 hex>[&enc=<32*n hex>]&cmac=<16 hex>
//
//   picc_data = AES-128-CBC(K_SDMMetaRead, IV = 0,
//                           0xC7 || UID(7) || SDMReadCtr(3, LSB first) || 5 random bytes)
//   KSesSDMFileReadENC = CMAC(K_SDMFileRead, C3 3C 00 01 00 80 || UID || SDMReadCtr)
//   KSesSDMFileReadMAC = CMAC(K_SDMFileRead, 3C C3 00 01 00 80 || UID || SDMReadCtr)
//   enc  = AES-128-CBC(KSesSDMFileReadENC,
//                      IV = AES-ECB(KSesSDMFileReadENC, SDMReadCtr || 13 zero bytes),
//                      file data)
//   cmac = the odd-indexed bytes 1, 3, ..., 15 of CMAC(KSesSDMFileReadMAC, MAC input)
//
// The MAC input is the ASCII text of the URL from SDMMACInputOffset up to
// SDMMACOffset (the start of the cmac value), both fixed when the tag is
// personalised. In NXP's published examples (and on this project's tags) it is
// empty when no file data is mirrored, and "<enc hex>&cmac=" when it is. Plain
// mirroring (uid=<14 hex>&ctr=<6 hex, MSB first>&cmac=...) is also accepted;
// the published example we could verify (the sdm-backend reference server's)
// MACs an empty input too. Tags personalised with SDMMACInputOffset at the
// first mirrored value need SunMacInputStart::kFirstMirroredValue.
//
// Thread-safety: all functions are thread-safe (they use per-thread cipher
// contexts that are re-keyed per call, so they do not allocate for crypto
// after a thread's first call). Errors inside OpenSSL throw
// std::runtime_error; bad input never throws, it is reported in the result.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "gateway/crypto/bytes.hpp"

namespace fieldproof::crypto {

// The truncated SDMMAC carried in a SUN URL.
using SunMac = std::array<std::uint8_t, 8>;

// PICCDataTag for "UID mirrored, SDMReadCtr mirrored, UID length 7".
inline constexpr std::uint8_t kPiccDataTagUidCounter = 0xC7;
inline constexpr std::uint32_t kMaxReadCounter = 0xFFFFFF;
inline constexpr std::size_t kPiccPaddingSize = 5;

enum class SunMirroring {
  kEncryptedPiccData,  // picc_data (or e): UID and counter encrypted.
  kPlainUidCounter,    // uid and ctr mirrored as plain hex.
};

// Where the SDMMAC input starts (the tag's SDMMACInputOffset); it always ends
// at the start of the cmac value (SDMMACOffset).
enum class SunMacInputStart {
  // NXP's examples and this project's tags: at the enc value when encrypted
  // file data is mirrored, otherwise the input is empty.
  kConventional,
  // At the first mirrored value (picc_data, uid, ctr or enc, whichever comes
  // first in the URL): for tags personalised with SDMMACInputOffset there.
  kFirstMirroredValue,
};

struct SunParseOptions {
  SunMacInputStart mac_input_start = SunMacInputStart::kConventional;
};

// The fields of one SUN URL, decoded from hex, plus the exact text its MAC
// covers.
struct SunUrlParts {
  SunMirroring mirroring = SunMirroring::kEncryptedPiccData;
  Block128 picc_enc_data{};        // kEncryptedPiccData only.
  TagUid uid{};                    // kPlainUidCounter only (unauthenticated).
  std::uint32_t read_counter = 0;  // kPlainUidCounter only (unauthenticated).
  Bytes enc_file_data;             // Empty when the URL has no enc parameter.
  SunMac cmac{};
  std::string mac_input;  // The ASCII text the SDMMAC covers.
};

// Parses a full URL ("https://host/path?picc_data=..&cmac=..") or just its
// query string (with or without the leading '?'); a "#fragment" is ignored.
// Recognised parameters (names are case-sensitive, values are hex in either
// case):
//   picc_data | e   32 hex             encrypted PICC data (AES mode)
//   uid             14 hex             plain UID mirroring (with ctr)
//   ctr             6 hex, MSB first   plain read counter mirroring (with uid)
//   enc             32*n hex, n >= 1   encrypted file data (optional)
//   cmac | c        16 hex             truncated SDMMAC (required)
// Other parameters are ignored (but are part of the MAC input when they sit
// inside its range). A parameter given twice, under either of its names, is
// an error, as are bad hex, wrong lengths, a missing parameter, mixing
// picc_data with uid/ctr, and a cmac that does not follow the MAC input's
// start. On failure returns nullopt and, if `error` is not null, stores a
// one-line reason in it.
std::optional<SunUrlParts> ParseSunUrl(std::string_view url_or_query, std::string* error);
std::optional<SunUrlParts> ParseSunUrl(std::string_view url_or_query,
                                       const SunParseOptions& options, std::string* error);

enum class SunFailure {
  kNone,
  kMalformed,    // Parts that ParseSunUrl would not produce (e.g. enc not whole blocks).
  kPiccDataTag,  // PICC data did not decrypt to 0xC7 ||...: wrong meta-read key or foreign tag.
  kUnknownTag,   // The file-read key callback had no key for the UID.
  kMacMismatch,  // SDMMAC does not verify: forged, altered, or wrong file-read key.
};

struct SunVerification {
  bool valid = false;
  // UID and counter, authenticated by the SDMMAC. Set only when `valid`; a
  // failure's reason names the claimed (unauthenticated) values instead.
  TagUid uid{};
  std::uint32_t read_counter = 0;
  // Decrypted file data when the URL carried enc and the MAC verified.
  std::optional<Bytes> file_data;
  SunFailure failure = SunFailure::kNone;
  std::string reason;  // Empty when valid.
};

// Returns the file-read key for a (decrypted) UID, or nullopt for a tag that
// is not known (an empty function knows no tag). A callable returning Key128
// converts to this type too.
using FileReadKeyForUid = std::function<std::optional<Key128>(std::span<const std::uint8_t, 7>)>;

// Verifies a SUN message: decrypts the PICC data with `meta_read_key` (unused
// for plain mirroring) and checks its PICCDataTag, derives the session keys
// from `file_read_key`, compares the SDMMAC in constant time and, only when it
// matches, decrypts the file data. Replay (counter not above the last one
// seen for this UID) is the caller's check: it needs state.
SunVerification VerifySun(const SunUrlParts& parts, const Key128& meta_read_key,
                          const Key128& file_read_key);

// As above, but the file-read key is obtained from the decrypted UID, e.g.
//   VerifySun(parts, SiteMetaReadKey(master, site),
//             [&](auto uid) { return TagFileReadKey(master, uid); });
SunVerification VerifySun(const SunUrlParts& parts, const Key128& meta_read_key,
                          const FileReadKeyForUid& file_key_for_uid);

// Generates the URL a tag with these keys emits on a read that mirrors
// `read_counter` (<= kMaxReadCounter):
//   base_url + "?picc_data=<32 hex>[&enc=<hex>]&cmac=<16 hex>"
// ('&' instead of '?' if base_url already has a query). Hex is upper case,
// as a real tag writes it. `random_padding` must be exactly 5 bytes: the
// random tail of the PICC data a real tag draws itself. `file_data` is the
// plaintext of the mirrored file region; enc is omitted when it is empty.
// A real tag encrypts a placeholder whose length is a multiple of 16 bytes,
// so file data of any other length is padded with zero bytes to the next
// multiple of 16, and VerifySun returns it padded. Throws
// std::invalid_argument on a counter above kMaxReadCounter or padding that is
// not 5 bytes.
std::string MakeSunUrl(std::string_view base_url, const Key128& meta_read_key,
                       const Key128& file_read_key, std::span<const std::uint8_t, 7> uid,
                       std::uint32_t read_counter, std::span<const std::uint8_t> file_data,
                       std::span<const std::uint8_t> random_padding);

// Generates a plain-mirroring URL:
//   base_url + "?uid=<14 hex>&ctr=<6 hex, MSB first>&cmac=<16 hex>"
// with the SDMMAC over an empty input. Throws std::invalid_argument on a
// counter above kMaxReadCounter.
std::string MakePlainSunUrl(std::string_view base_url, const Key128& file_read_key,
                            std::span<const std::uint8_t, 7> uid, std::uint32_t read_counter);

// ---- Building blocks, exposed for known-answer tests and diagnostics. ----

struct PiccData {
  std::uint8_t picc_data_tag = 0;
  TagUid uid{};
  std::uint32_t read_counter = 0;
};

// Decrypts 16 bytes of encrypted PICC data (AES-128-CBC, zero IV). Does not
// check the PICCDataTag.
PiccData DecryptPiccData(const Key128& meta_read_key, const Block128& picc_enc_data);

struct SdmSessionKeys {
  Key128 enc;  // KSesSDMFileReadENC, from SV1.
  Key128 mac;  // KSesSDMFileReadMAC, from SV2.
};

// Session vectors SV1 / SV2: prefix || UID || SDMReadCtr (LSB first).
Block128 SdmSessionVector1(std::span<const std::uint8_t, 7> uid, std::uint32_t read_counter);
Block128 SdmSessionVector2(std::span<const std::uint8_t, 7> uid, std::uint32_t read_counter);

SdmSessionKeys DeriveSdmSessionKeys(const Key128& file_read_key,
                                    std::span<const std::uint8_t, 7> uid,
                                    std::uint32_t read_counter);

// The truncated SDMMAC: bytes 1, 3, ..., 15 of CMAC(session_mac_key, mac_input).
SunMac ComputeSdmMac(const Key128& session_mac_key, std::span<const std::uint8_t> mac_input);
SunMac ComputeSdmMac(const Key128& session_mac_key, std::string_view mac_input);

// IV for SDMENCFileData: AES-ECB(session_enc_key, SDMReadCtr (LSB first) || 0^13).
Block128 SdmFileDataIv(const Key128& session_enc_key, std::uint32_t read_counter);

}  // namespace fieldproof::crypto
