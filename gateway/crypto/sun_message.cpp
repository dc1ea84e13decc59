#include "gateway/crypto/sun_message.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "gateway/crypto/aes.hpp"
#include "gateway/crypto/aes_cmac.hpp"
#include "gateway/crypto/hex.hpp"

namespace fieldproof::crypto {
namespace {

constexpr std::array<std::uint8_t, 6> kSv1Prefix = {0xC3, 0x3C, 0x00, 0x01, 0x00, 0x80};
constexpr std::array<std::uint8_t, 6> kSv2Prefix = {0x3C, 0xC3, 0x00, 0x01, 0x00, 0x80};

constexpr std::size_t kPiccHexSize = 32;
constexpr std::size_t kLrpPiccHexSize = 48;
constexpr std::size_t kUidHexSize = 14;
constexpr std::size_t kCtrHexSize = 6;
constexpr std::size_t kMacHexSize = 16;

// Cipher contexts reused by every call on a thread; re-keyed per use.
struct Scratch {
  Aes128 ecb_encrypt{AesMode::kEcb, AesDirection::kEncrypt};
  Aes128 ecb_decrypt{AesMode::kEcb, AesDirection::kDecrypt};
  Aes128 cbc_encrypt{AesMode::kCbc, AesDirection::kEncrypt};
  Aes128 cbc_decrypt{AesMode::kCbc, AesDirection::kDecrypt};
  AesCmacContext cmac{Key128{}};
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// Wipes key material when it goes out of scope.
template <typename T>
class Cleanser {
 public:
  explicit Cleanser(T& value) : value_(value) {}
  ~Cleanser() { OPENSSL_cleanse(&value_, sizeof(value_)); }
  Cleanser(const Cleanser&) = delete;
  Cleanser& operator=(const Cleanser&) = delete;

 private:
  T& value_;
};

std::array<std::uint8_t, 3> CounterLsbFirst(std::uint32_t counter) {
  return {static_cast<std::uint8_t>(counter), static_cast<std::uint8_t>(counter >> 8),
          static_cast<std::uint8_t>(counter >> 16)};
}

Block128 SessionVector(const std::array<std::uint8_t, 6>& prefix,
                       std::span<const std::uint8_t, 7> uid, std::uint32_t read_counter) {
  Block128 sv;
  const auto counter = CounterLsbFirst(read_counter);
  auto out = std::copy(prefix.begin(), prefix.end(), sv.begin());
  out = std::copy(uid.begin(), uid.end(), out);
  std::copy(counter.begin(), counter.end(), out);
  return sv;
}

SunMac Truncate(const Block128& full) {
  SunMac mac;
  for (std::size_t i = 0; i < mac.size(); ++i) mac[i] = full[2 * i + 1];
  return mac;
}

SdmSessionKeys DeriveSessionKeys(Scratch& scratch, const Key128& file_read_key,
                                 std::span<const std::uint8_t, 7> uid, std::uint32_t counter) {
  scratch.cmac.SetKey(file_read_key);  // Subkeys computed once for both vectors.
  return {scratch.cmac.Mac(SessionVector(kSv1Prefix, uid, counter)),
          scratch.cmac.Mac(SessionVector(kSv2Prefix, uid, counter))};
}

Block128 FileDataIv(Scratch& scratch, const Key128& session_enc_key, std::uint32_t counter) {
  Block128 iv_input{};
  const auto ctr = CounterLsbFirst(counter);
  std::copy(ctr.begin(), ctr.end(), iv_input.begin());
  scratch.ecb_encrypt.SetKey(session_enc_key);
  return scratch.ecb_encrypt.ApplyBlock(iv_input);
}

std::span<const std::uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string UidHex(std::span<const std::uint8_t, 7> uid) { return HexEncode(uid); }

// ---- URL parsing ----

enum Param { kPicc = 0, kEnc, kCmac, kUid, kCtr, kParamCount };

struct ParamSpec {
  std::string_view name;
  Param param;
};

constexpr std::array<ParamSpec, 7> kParamSpecs = {{
    {"picc_data", kPicc},
    {"e", kPicc},
    {"enc", kEnc},
    {"cmac", kCmac},
    {"c", kCmac},
    {"uid", kUid},
    {"ctr", kCtr},
}};

struct FoundParam {
  bool present = false;
  std::string_view name;   // As spelled in the URL.
  std::string_view value;  // A view into the caller's input.
};

std::optional<SunUrlParts> Fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return std::nullopt;
}

std::string Quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

// Decodes a fixed-length hex value, or explains why not.
bool DecodeFixed(const FoundParam& found, std::span<std::uint8_t> out, std::string* error) {
  const std::size_t want = 2 * out.size();
  if (found.value.size() != want) {
    if (error != nullptr) {
      *error = "parameter " + Quoted(found.name) + " must be " + std::to_string(want) +
               " hex characters, got " + std::to_string(found.value.size());
    }
    return false;
  }
  if (!HexDecodeInto(found.value, out)) {
    if (error != nullptr) *error = "parameter " + Quoted(found.name) + " is not valid hex";
    return false;
  }
  return true;
}

}  // namespace

std::optional<SunUrlParts> ParseSunUrl(std::string_view url_or_query, std::string* error) {
  return ParseSunUrl(url_or_query, SunParseOptions{}, error);
}

std::optional<SunUrlParts> ParseSunUrl(std::string_view url_or_query,
                                       const SunParseOptions& options, std::string* error) {
  std::string_view query = url_or_query;
  if (const auto hash = query.find('#'); hash != std::string_view::npos) {
    query = query.substr(0, hash);
  }
  if (const auto question = query.find('?'); question != std::string_view::npos) {
    query = query.substr(question + 1);
  } else if (query.find("://") != std::string_view::npos) {
    return Fail(error, "URL has no query string");
  }
  if (query.empty()) return Fail(error, "empty query string");

  std::array<FoundParam, kParamCount> found{};
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view token = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (token.empty()) continue;
    const auto equals = token.find('=');
    const std::string_view name = token.substr(0, equals);
    const auto spec = std::find_if(kParamSpecs.begin(), kParamSpecs.end(),
                                   [&](const ParamSpec& s) { return s.name == name; });
    if (spec == kParamSpecs.end()) continue;  // Not ours; may still be MAC input.
    if (equals == std::string_view::npos) {
      return Fail(error, "parameter " + Quoted(name) + " has no value");
    }
    FoundParam& slot = found[spec->param];
    if (slot.present) {
      return Fail(error,
                  "duplicate parameter " + Quoted(name) +
                      (slot.name == name ? "" : " (already given as " + Quoted(slot.name) + ")"));
    }
    slot = {true, name, token.substr(equals + 1)};
  }

  const FoundParam& picc = found[kPicc];
  const FoundParam& enc = found[kEnc];
  const FoundParam& cmac = found[kCmac];
  const FoundParam& uid = found[kUid];
  const FoundParam& ctr = found[kCtr];

  SunUrlParts parts;
  if (picc.present) {
    if (uid.present || ctr.present) {
      return Fail(error, "both " + Quoted(picc.name) + " and plain " +
                             Quoted(uid.present ? uid.name : ctr.name) + " given");
    }
    if (picc.value.size() == kLrpPiccHexSize) {
      return Fail(error, "parameter " + Quoted(picc.name) +
                             " has 48 hex characters: LRP-mode tags are not supported");
    }
    parts.mirroring = SunMirroring::kEncryptedPiccData;
    if (!DecodeFixed(picc, parts.picc_enc_data, error)) return std::nullopt;
  } else if (uid.present || ctr.present) {
    if (!uid.present)
      return Fail(error, "missing parameter 'uid' (plain mirroring needs uid and ctr)");
    if (!ctr.present)
      return Fail(error, "missing parameter 'ctr' (plain mirroring needs uid and ctr)");
    parts.mirroring = SunMirroring::kPlainUidCounter;
    if (!DecodeFixed(uid, parts.uid, error)) return std::nullopt;
    std::array<std::uint8_t, 3> counter;
    if (!DecodeFixed(ctr, counter, error)) return std::nullopt;
    // The tag mirrors the counter most significant byte first.
    parts.read_counter = (std::uint32_t{counter[0]} << 16) | (std::uint32_t{counter[1]} << 8) |
                         std::uint32_t{counter[2]};
  } else {
    return Fail(error, "missing parameter 'picc_data' (or 'e'), or 'uid' and 'ctr'");
  }
  if (!cmac.present) return Fail(error, "missing parameter 'cmac' (or 'c')");
  if (!DecodeFixed(cmac, parts.cmac, error)) return std::nullopt;

  if (enc.present) {
    if (enc.value.empty() || enc.value.size() % kPiccHexSize != 0) {
      return Fail(error, "parameter " + Quoted(enc.name) +
                             " must be a non-empty multiple of 32 hex characters, got " +
                             std::to_string(enc.value.size()));
    }
    parts.enc_file_data.resize(enc.value.size() / 2);
    if (!HexDecodeInto(enc.value, parts.enc_file_data)) {
      return Fail(error, "parameter " + Quoted(enc.name) + " is not valid hex");
    }
  }

  // The MAC input: from SDMMACInputOffset to the start of the cmac value.
  const char* mac_input_start = nullptr;
  std::string_view start_name;
  if (options.mac_input_start == SunMacInputStart::kFirstMirroredValue) {
    for (const FoundParam* p : {&picc, &uid, &ctr, &enc}) {
      if (p->present && (mac_input_start == nullptr || p->value.data() < mac_input_start)) {
        mac_input_start = p->value.data();
        start_name = p->name;
      }
    }
  } else if (enc.present) {
    mac_input_start = enc.value.data();
    start_name = enc.name;
  }
  if (mac_input_start != nullptr) {
    if (cmac.value.data() < mac_input_start) {
      return Fail(error,
                  "parameter " + Quoted(cmac.name) + " must come after " + Quoted(start_name));
    }
    parts.mac_input.assign(mac_input_start, cmac.value.data());
  }
  return parts;
}

PiccData DecryptPiccData(const Key128& meta_read_key, const Block128& picc_enc_data) {
  Scratch& scratch = ThreadScratch();
  scratch.ecb_decrypt.SetKey(meta_read_key);
  // CBC with a zero IV over a single block is plain ECB.
  Block128 plain = scratch.ecb_decrypt.ApplyBlock(picc_enc_data);
  Cleanser wipe(plain);
  PiccData data;
  data.picc_data_tag = plain[0];
  std::copy_n(plain.begin() + 1, data.uid.size(), data.uid.begin());
  data.read_counter =
      std::uint32_t{plain[8]} | (std::uint32_t{plain[9]} << 8) | (std::uint32_t{plain[10]} << 16);
  return data;
}

Block128 SdmSessionVector1(std::span<const std::uint8_t, 7> uid, std::uint32_t read_counter) {
  return SessionVector(kSv1Prefix, uid, read_counter);
}

Block128 SdmSessionVector2(std::span<const std::uint8_t, 7> uid, std::uint32_t read_counter) {
  return SessionVector(kSv2Prefix, uid, read_counter);
}

SdmSessionKeys DeriveSdmSessionKeys(const Key128& file_read_key,
                                    std::span<const std::uint8_t, 7> uid,
                                    std::uint32_t read_counter) {
  return DeriveSessionKeys(ThreadScratch(), file_read_key, uid, read_counter);
}

SunMac ComputeSdmMac(const Key128& session_mac_key, std::span<const std::uint8_t> mac_input) {
  Scratch& scratch = ThreadScratch();
  scratch.cmac.SetKey(session_mac_key);
  return Truncate(scratch.cmac.Mac(mac_input));
}

SunMac ComputeSdmMac(const Key128& session_mac_key, std::string_view mac_input) {
  return ComputeSdmMac(session_mac_key, AsBytes(mac_input));
}

Block128 SdmFileDataIv(const Key128& session_enc_key, std::uint32_t read_counter) {
  return FileDataIv(ThreadScratch(), session_enc_key, read_counter);
}

SunVerification VerifySun(const SunUrlParts& parts, const Key128& meta_read_key,
                          const Key128& file_read_key) {
  return VerifySun(parts, meta_read_key,
                   [&file_read_key](std::span<const std::uint8_t, 7>) { return file_read_key; });
}

SunVerification VerifySun(const SunUrlParts& parts, const Key128& meta_read_key,
                          const FileReadKeyForUid& file_key_for_uid) {
  SunVerification result;
  auto fail = [&result](SunFailure failure, std::string reason) {
    result.failure = failure;
    result.reason = std::move(reason);
    return std::move(result);
  };
  if (parts.enc_file_data.size() % kAesBlockSize != 0) {
    return fail(SunFailure::kMalformed, "encrypted file data is not a whole number of AES blocks");
  }

  TagUid uid;
  std::uint32_t counter = 0;
  if (parts.mirroring == SunMirroring::kEncryptedPiccData) {
    const PiccData picc = DecryptPiccData(meta_read_key, parts.picc_enc_data);
    if (picc.picc_data_tag != kPiccDataTagUidCounter) {
      const std::uint8_t tag_byte = picc.picc_data_tag;
      return fail(SunFailure::kPiccDataTag,
                  "PICC data decrypted to PICCDataTag 0x" + HexEncode(std::span(&tag_byte, 1)) +
                      ", expected 0xC7: wrong SDM meta-read key, or not a tag of this site");
    }
    uid = picc.uid;
    counter = picc.read_counter;
  } else {
    uid = parts.uid;
    counter = parts.read_counter;
  }
  if (counter > kMaxReadCounter) {
    return fail(SunFailure::kMalformed, "read counter above 0xFFFFFF");
  }

  std::optional<Key128> file_read_key;
  if (file_key_for_uid) file_read_key = file_key_for_uid(uid);
  if (!file_read_key) {
    return fail(SunFailure::kUnknownTag, "no file-read key for UID " + UidHex(uid));
  }
  Cleanser wipe_file_key(*file_read_key);

  Scratch& scratch = ThreadScratch();
  SdmSessionKeys session = DeriveSessionKeys(scratch, *file_read_key, uid, counter);
  Cleanser wipe_session(session);

  scratch.cmac.SetKey(session.mac);
  const SunMac expected = Truncate(scratch.cmac.Mac(AsBytes(parts.mac_input)));
  if (CRYPTO_memcmp(expected.data(), parts.cmac.data(), expected.size()) != 0) {
    return fail(SunFailure::kMacMismatch, "SDMMAC mismatch for claimed UID " + UidHex(uid) +
                                              ", counter " + std::to_string(counter));
  }

  if (!parts.enc_file_data.empty()) {
    const Block128 iv = FileDataIv(scratch, session.enc, counter);
    Bytes plain(parts.enc_file_data.size());
    scratch.cbc_decrypt.SetKey(session.enc);
    scratch.cbc_decrypt.Apply(parts.enc_file_data, plain, iv);
    result.file_data = std::move(plain);
  }
  result.valid = true;
  result.uid = uid;
  result.read_counter = counter;
  return result;
}

std::string MakeSunUrl(std::string_view base_url, const Key128& meta_read_key,
                       const Key128& file_read_key, std::span<const std::uint8_t, 7> uid,
                       std::uint32_t read_counter, std::span<const std::uint8_t> file_data,
                       std::span<const std::uint8_t> random_padding) {
  if (read_counter > kMaxReadCounter) {
    throw std::invalid_argument("MakeSunUrl: read counter above 0xFFFFFF");
  }
  if (random_padding.size() != kPiccPaddingSize) {
    throw std::invalid_argument("MakeSunUrl: random padding must be 5 bytes");
  }
  Scratch& scratch = ThreadScratch();

  // PICCData = PICCDataTag || UID || SDMReadCtr (LSB first) || random padding.
  Block128 picc;
  {
    const auto counter = CounterLsbFirst(read_counter);
    auto out = picc.begin();
    *out++ = kPiccDataTagUidCounter;
    out = std::copy(uid.begin(), uid.end(), out);
    out = std::copy(counter.begin(), counter.end(), out);
    std::copy(random_padding.begin(), random_padding.end(), out);
  }
  scratch.ecb_encrypt.SetKey(meta_read_key);
  const Block128 picc_enc = scratch.ecb_encrypt.ApplyBlock(picc);  // CBC, zero IV, one block.
  OPENSSL_cleanse(picc.data(), picc.size());

  SdmSessionKeys session = DeriveSessionKeys(scratch, file_read_key, uid, read_counter);
  Cleanser wipe_session(session);

  std::string url;
  const std::size_t padded_size =
      (file_data.size() + kAesBlockSize - 1) / kAesBlockSize * kAesBlockSize;
  url.reserve(base_url.size() + 64 + 2 * padded_size);
  url.append(base_url);
  url.push_back(base_url.find('?') == std::string_view::npos ? '?' : '&');
  url.append("picc_data=");
  AppendHex(picc_enc, url);

  std::size_t mac_input_begin = std::string::npos;
  if (!file_data.empty()) {
    Bytes buffer(padded_size, 0);
    std::copy(file_data.begin(), file_data.end(), buffer.begin());
    const Block128 iv = FileDataIv(scratch, session.enc, read_counter);
    scratch.cbc_encrypt.SetKey(session.enc);
    scratch.cbc_encrypt.Apply(buffer, buffer, iv);
    url.append("&enc=");
    mac_input_begin = url.size();
    AppendHex(buffer, url);
  }
  url.append("&cmac=");
  const std::string_view mac_input = mac_input_begin == std::string::npos
                                         ? std::string_view{}
                                         : std::string_view(url).substr(mac_input_begin);
  scratch.cmac.SetKey(session.mac);
  const SunMac mac = Truncate(scratch.cmac.Mac(AsBytes(mac_input)));
  AppendHex(mac, url);
  return url;
}

std::string MakePlainSunUrl(std::string_view base_url, const Key128& file_read_key,
                            std::span<const std::uint8_t, 7> uid, std::uint32_t read_counter) {
  if (read_counter > kMaxReadCounter) {
    throw std::invalid_argument("MakePlainSunUrl: read counter above 0xFFFFFF");
  }
  Scratch& scratch = ThreadScratch();
  SdmSessionKeys session = DeriveSessionKeys(scratch, file_read_key, uid, read_counter);
  Cleanser wipe_session(session);
  scratch.cmac.SetKey(session.mac);
  const SunMac mac = Truncate(scratch.cmac.Mac({}));

  const std::array<std::uint8_t, 3> counter_msb_first = {
      static_cast<std::uint8_t>(read_counter >> 16), static_cast<std::uint8_t>(read_counter >> 8),
      static_cast<std::uint8_t>(read_counter)};
  std::string url(base_url);
  url.push_back(base_url.find('?') == std::string_view::npos ? '?' : '&');
  url.append("uid=");
  AppendHex(uid, url);
  url.append("&ctr=");
  AppendHex(counter_msb_first, url);
  url.append("&cmac=");
  AppendHex(mac, url);
  return url;
}

}  // namespace fieldproof::crypto
