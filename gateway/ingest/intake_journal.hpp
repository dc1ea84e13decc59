#pragma once
// The gateway's intake journal: where a message becomes ours before the broker lets go
// of it (docs/reliability.md). Each message the broker delivers is appended here before
// the gateway acknowledges it; the SQLite transaction that stores it also moves the
// committed watermark (table intake_cursor), so at start every record after the
// watermark is replayed and none is stored twice.
//
// Files: <dir>/intake-<first seq, 20 digits>.log, each a run of records
//   u32 body length | u32 CRC-32 of body | body = u64 seq | i64 received_at | u32 topic
//   length | topic | payload
// A record is written with one write(2): when Append returns, the record survives the
// process being killed (it is in the OS's page cache). With sync on, it is also on the
// disk (fdatasync), and survives power loss, at a price per message.
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "gateway/core/timestamp.hpp"

namespace fieldproof::ingest {

struct JournalRecord {
  std::uint64_t seq = 0;
  core::UnixMillis received_at = 0;
  std::string topic;
  std::string payload;
};

struct JournalOptions {
  std::size_t segment_bytes = 64 << 20;  // A new file after this many bytes.
  bool sync = false;                     // fdatasync every record.
};

// Thrown when a record cannot be written (disk full, I/O error). The journal is left
// as it was before the call, so the caller may retry.
class JournalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class IntakeJournal {
 public:
  // Opens (or creates) the journal in `dir`. Reads the records after `committed_seq`
  // for Uncommitted(); cuts a torn last record (the process died writing it: it was
  // never acknowledged, the broker still has it).
  IntakeJournal(std::filesystem::path dir, std::uint64_t committed_seq, JournalOptions options = {});
  ~IntakeJournal();
  IntakeJournal(const IntakeJournal&) = delete;
  IntakeJournal& operator=(const IntakeJournal&) = delete;

  // The records found at open that are not committed yet, oldest first (moved out).
  std::vector<JournalRecord> TakeUncommitted() { return std::move(uncommitted_); }

  // Any thread. Returns the record's sequence number. Throws JournalError.
  std::uint64_t Append(std::string_view topic, std::string_view payload, core::UnixMillis received_at);

  // Any thread. Deletes the files whose records are all at or below `committed_seq`.
  void Trim(std::uint64_t committed_seq);

  const std::filesystem::path& dir() const { return dir_; }
  std::size_t segment_count() const;

 private:
  struct Segment {
    std::uint64_t first_seq;
    std::filesystem::path path;
  };
  void Recover(std::uint64_t committed_seq);
  void OpenSegment(std::uint64_t first_seq);

  std::filesystem::path dir_;
  JournalOptions options_;
  mutable std::mutex mutex_;
  std::vector<Segment> segments_;  // Oldest first; the last one is written.
  int fd_ = -1;
  std::uint64_t written_bytes_ = 0;  // Of the last segment.
  std::uint64_t next_seq_ = 1;
  std::vector<JournalRecord> uncommitted_;
};

}  // namespace fieldproof::ingest
