// AES-128 key diversification (NXP AN10922) and fieldproof's tag key scheme.
//
// Key scheme. NTAG 424 DNA Secure Dynamic Messaging uses two keys per tag:
//
//  * SDM meta-read key (K_SDMMetaRead): encrypts the PICC data (UID and read
//    counter) in the SUN URL. The gateway has to decrypt the PICC data before
//    it knows which tag it is talking to, so this key cannot be per tag. It is
//    per *site* instead: SiteMetaReadKey(master, site). A leaked site key
//    reveals the UIDs and counters of that site's tags, but cannot forge a
//    tap, because
//  * SDM file-read key (K_SDMFileRead): the key the tag's SDMMAC (and any
//    encrypted file data) is derived from. It is per *tag*:
//    TagFileReadKey(master, uid), computed from the UID once the PICC data has
//    been decrypted. Extracting one tag's key forges only that tag.
//
// Both are derived on demand from one master key held in the gateway's
// configuration, so the database stores UIDs and site identifiers but no
// per-tag secrets. Rotating the master key means re-personalising the tags.
// The derivations are domain-separated by the ASCII prefixes "FPMETA" and
// "FPFILE", so a site name can never produce a tag key or vice versa.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "gateway/crypto/bytes.hpp"

namespace fieldproof::crypto {

// Maximum diversification input for AES-128 (AN10922 section 2.2).
inline constexpr std::size_t kMaxDiversificationInput = 31;
// Longest site identifier that still yields a distinct meta-read key: the
// "FPMETA" prefix takes 6 of the 31 input bytes. Longer identifiers are
// truncated, so two sites sharing their first 25 bytes share a key; keep
// site identifiers within this length.
inline constexpr std::size_t kMaxSiteIdBytes = 25;

// AN10922 section 2.2 AES-128 key diversification: the CMAC under `master`
// of 0x01 || diversification_input, where the input is always padded
// (0x80 00..) to 32 bytes and finished with subkey K2, unless it is exactly
// 32 bytes long (31 input bytes), which is finished with K1.
// `diversification_input` must be 1..31 bytes; otherwise throws
// std::invalid_argument. Thread-safe.
Key128 DiversifyAes128(const Key128& master, std::span<const std::uint8_t> diversification_input);

// Per-site SDM meta-read key: DiversifyAes128(master, "FPMETA" || site), with
// `site` truncated to kMaxSiteIdBytes.
Key128 SiteMetaReadKey(const Key128& master, std::string_view site);

// Per-tag SDM file-read (SDMMAC) key: DiversifyAes128(master, "FPFILE" || uid).
Key128 TagFileReadKey(const Key128& master, std::span<const std::uint8_t, 7> uid);

}  // namespace fieldproof::crypto
