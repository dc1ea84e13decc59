#include "gateway/ingest/intake_journal.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <boost/crc.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace fieldproof::ingest {
namespace {

constexpr std::size_t kHeaderBytes = 8;                    // length, CRC
constexpr std::size_t kBodyFixedBytes = 8 + 8 + 4;         // seq, received_at, topic length
constexpr std::uint32_t kMaxBodyBytes = 16u << 20;         // Far above any MQTT payload we take.

void PutU32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
void PutU64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
std::uint64_t GetLE(const char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
std::uint32_t Crc32(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

std::string SegmentName(std::uint64_t first_seq) {
  std::string digits = std::to_string(first_seq);
  return "intake-" + std::string(20 - digits.size(), '0') + digits + ".log";
}

std::string ReadWhole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Parses one record at `offset`; false when what is there is not a whole, intact record.
bool ParseRecord(std::string_view data, std::size_t& offset, JournalRecord& record) {
  if (data.size() - offset < kHeaderBytes) return false;
  const auto length = static_cast<std::uint32_t>(GetLE(data.data() + offset, 4));
  const auto crc = static_cast<std::uint32_t>(GetLE(data.data() + offset + 4, 4));
  if (length < kBodyFixedBytes || length > kMaxBodyBytes) return false;
  if (data.size() - offset - kHeaderBytes < length) return false;
  const std::string_view body = data.substr(offset + kHeaderBytes, length);
  if (Crc32(body) != crc) return false;
  const auto topic_length = static_cast<std::uint32_t>(GetLE(body.data() + 16, 4));
  if (topic_length > length - kBodyFixedBytes) return false;
  record.seq = GetLE(body.data(), 8);
  record.received_at = static_cast<core::UnixMillis>(GetLE(body.data() + 8, 8));
  record.topic = std::string(body.substr(kBodyFixedBytes, topic_length));
  record.payload = std::string(body.substr(kBodyFixedBytes + topic_length));
  offset += kHeaderBytes + length;
  return true;
}

}  // namespace

IntakeJournal::IntakeJournal(std::filesystem::path dir, std::uint64_t committed_seq,
                             JournalOptions options)
    : dir_(std::move(dir)), options_(options) {
  std::filesystem::create_directories(dir_);
  Recover(committed_seq);
  if (segments_.empty()) {
    OpenSegment(next_seq_);
  } else {
    const auto& last = segments_.back().path;
    fd_ = ::open(last.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd_ < 0) throw JournalError(last.string() + ": " + std::strerror(errno));
    written_bytes_ = std::filesystem::file_size(last);
  }
}

IntakeJournal::~IntakeJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void IntakeJournal::Recover(std::uint64_t committed_seq) {
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 31 || !name.starts_with("intake-") || !name.ends_with(".log")) continue;
    segments_.push_back({std::stoull(name.substr(7, 20)), entry.path()});
  }
  std::sort(segments_.begin(), segments_.end(),
            [](const Segment& a, const Segment& b) { return a.first_seq < b.first_seq; });
  next_seq_ = committed_seq + 1;
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    const std::string data = ReadWhole(segments_[i].path);
    std::size_t offset = 0;
    JournalRecord record;
    while (offset < data.size() && ParseRecord(data, offset, record)) {
      next_seq_ = std::max(next_seq_, record.seq + 1);
      if (record.seq > committed_seq) uncommitted_.push_back(std::move(record));
    }
    if (offset == data.size()) continue;
    if (i + 1 == segments_.size()) {
      // The process died inside a write: that message was never acknowledged.
      spdlog::warn("journal: {}: cutting a torn last record ({} bytes at offset {})",
                   segments_[i].path.string(), data.size() - offset, offset);
      std::filesystem::resize_file(segments_[i].path, offset);
    } else {
      spdlog::error("journal: {}: unreadable record at offset {}; {} bytes skipped",
                    segments_[i].path.string(), offset, data.size() - offset);
    }
  }
  if (!uncommitted_.empty()) {
    spdlog::info("journal: {} message(s) received before the last stop and not yet stored; "
                 "replaying seq {}..{}",
                 uncommitted_.size(), uncommitted_.front().seq, uncommitted_.back().seq);
  }
}

void IntakeJournal::OpenSegment(std::uint64_t first_seq) {
  const auto path = dir_ / SegmentName(first_seq);
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw JournalError(path.string() + ": " + std::strerror(errno));
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  written_bytes_ = 0;
  segments_.push_back({first_seq, path});
}

std::uint64_t IntakeJournal::Append(std::string_view topic, std::string_view payload,
                                    core::UnixMillis received_at) {
  std::lock_guard lock(mutex_);
  if (written_bytes_ >= options_.segment_bytes) OpenSegment(next_seq_);
  const std::uint64_t seq = next_seq_;
  std::string body;
  body.reserve(kBodyFixedBytes + topic.size() + payload.size());
  PutU64(body, seq);
  PutU64(body, static_cast<std::uint64_t>(received_at));
  PutU32(body, static_cast<std::uint32_t>(topic.size()));
  body.append(topic).append(payload);
  std::string record;
  record.reserve(kHeaderBytes + body.size());
  PutU32(record, static_cast<std::uint32_t>(body.size()));
  PutU32(record, Crc32(body));
  record += body;

  std::size_t done = 0;
  while (done < record.size()) {
    const ssize_t n = ::write(fd_, record.data() + done, record.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : ENOSPC;
      // Leave no partial record behind, so the next Append follows whole records.
      if (done > 0 && ::ftruncate(fd_, static_cast<off_t>(written_bytes_)) != 0) {
        spdlog::error("journal: cannot cut a partial record: {}", std::strerror(errno));
      }
      throw JournalError(segments_.back().path.string() + ": " + std::strerror(error));
    }
    done += static_cast<std::size_t>(n);
  }
  if (options_.sync && ::fdatasync(fd_) != 0) {
    throw JournalError(segments_.back().path.string() + ": fdatasync: " + std::strerror(errno));
  }
  written_bytes_ += record.size();
  ++next_seq_;
  return seq;
}

void IntakeJournal::Trim(std::uint64_t committed_seq) {
  std::lock_guard lock(mutex_);
  // A segment's records all precede the next segment's first; the last one is open.
  std::size_t removable = 0;
  while (removable + 1 < segments_.size() && segments_[removable + 1].first_seq <= committed_seq + 1) {
    ++removable;
  }
  for (std::size_t i = 0; i < removable; ++i) {
    std::error_code ec;
    std::filesystem::remove(segments_[i].path, ec);
    if (ec) spdlog::warn("journal: cannot remove {}: {}", segments_[i].path.string(), ec.message());
  }
  segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(removable));
}

std::size_t IntakeJournal::segment_count() const {
  std::lock_guard lock(mutex_);
  return segments_.size();
}

}  // namespace fieldproof::ingest
