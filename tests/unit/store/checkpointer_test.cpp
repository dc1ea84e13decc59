// The background checkpointer (checkpointer.hpp): while a writer commits without pause,
// the WAL still starts over, so it stays small, and nothing committed is lost.
#include "gateway/store/checkpointer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "gateway/store/sqlite_db.hpp"
#include "tests/unit/store/store_test_util.hpp"

namespace fieldproof::store {
namespace {

// How often the WAL has started over: the WAL header's checkpoint sequence number (bytes
// 12-15, big-endian), which SQLite counts up at each start over (its file format, section 4.1).
std::uint32_t WalStartsOver(const std::string& db_path) {
  std::ifstream wal(db_path + "-wal", std::ios::binary);
  unsigned char header[16] = {};
  wal.read(reinterpret_cast<char*>(header), sizeof header);
  return std::uint32_t{header[12]} << 24 | std::uint32_t{header[13]} << 16 |
         std::uint32_t{header[14]} << 8 | std::uint32_t{header[15]};
}

// The writer never pauses here, so pass 2 has to queue for the lock. How large the WAL gets
// in between depends on the machine: beside a process writing and syncing large files, one
// round waited 75 ms and the WAL reached 38 MB (8 MB on an idle machine). So this counts how
// often the WAL started over, not its bytes.
TEST(CheckpointerTest, TheWalStartsOverWhileAWriterKeepsCommitting) {
  testing::TempDir dir;
  const std::string path = dir.File("ckpt.db");
  Database writers(path);
  writers.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, k BLOB NOT NULL UNIQUE, v BLOB NOT NULL)");
  constexpr int kRows = 20;
  constexpr std::uint64_t kCheckpoints = 5;
  int transactions = 0;
  {
    Checkpointer checkpointer(writers, 100);
    std::mt19937_64 random(7);
    auto insert = writers.Prepare("INSERT INTO t (k, v) VALUES (?, ?)");
    std::string key(16, '\0'), value(200, 'v');
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while ((transactions < 1000 || checkpointer.checkpoints() < kCheckpoints) &&
           std::chrono::steady_clock::now() < deadline) {
      InTransaction(writers, [&] {
        for (int r = 0; r < kRows; ++r) {
          for (char& c : key) c = static_cast<char>(random());  // Random index pages, as msg_ids are.
          insert.BindBlob(1, key).BindBlob(2, value).Run();
        }
      });
      ++transactions;
    }
    ASSERT_GE(checkpointer.checkpoints(), kCheckpoints) << "in " << transactions << " transactions";
    // Each completed checkpoint leaves every frame in the database, so the next transaction
    // starts the WAL over; the last checkpoint may have come after the last transaction.
    EXPECT_GE(WalStartsOver(path), checkpointer.checkpoints() - 1);
  }
  EXPECT_EQ(writers.QueryInt("SELECT count(*) FROM t"), transactions * kRows);
  {
    Database reader(path);
    EXPECT_EQ(reader.QueryInt("SELECT count(*) FROM t"), transactions * kRows);
    auto check = reader.Prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check.Step());
    EXPECT_EQ(check.Text(0), "ok");
  }
}

// A reader that holds its snapshot (a backup) keeps the WAL from starting over, and it grows
// past 64 MiB. Once the reader is done, the next start over cuts the file back.
TEST(CheckpointerTest, AWalGrownBehindALongReaderIsCutBackAfterIt) {
  testing::TempDir dir;
  const std::string path = dir.File("reader.db");
  Database writers(path);
  writers.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
  Checkpointer checkpointer(writers, 100);
  auto insert = writers.Prepare("INSERT INTO t (v) VALUES (?)");
  const std::string value(4000, 'v');
  auto commit = [&](int rows) {
    InTransaction(writers, [&] {
      for (int r = 0; r < rows; ++r) insert.BindBlob(1, value).Run();
    });
  };
  auto wal_bytes = [&] { return std::filesystem::file_size(path + "-wal"); };
  {
    Database reader(path);
    reader.Exec("BEGIN");
    EXPECT_EQ(reader.QueryInt("SELECT count(*) FROM t"), 0);  // The snapshot is now held.
    while (wal_bytes() <= std::uintmax_t{Database::kWalSizeLimitBytes} + (8 << 20)) commit(100);
    reader.Exec("COMMIT");
  }
  // The writer pauses between commits, as intake does: a writer that never pauses keeps
  // pass 2 from the lock, and on a loaded machine this loop once wrote 3.1 GB of WAL before
  // the checkpointer got its turn. Paced, it writes at most 40 KB every 10 ms.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (wal_bytes() > std::uintmax_t{Database::kWalSizeLimitBytes} &&
         std::chrono::steady_clock::now() < deadline) {
    commit(10);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_LE(wal_bytes(), std::uintmax_t{Database::kWalSizeLimitBytes});
}

// Commits wait only for pass 2, so it must have little to copy. A writer that pauses between
// transactions, as intake does while it gathers a batch, lets the checkpointer take the lock
// in a pause, just after a round beside it. Here the writer holds the lock half the time and
// pauses 5 ms between transactions, as intake does with its default commit delay; the first
// round (2,000 frames) outlasts a pause. Queueing for the lock instead, pass 2 copied the
// transaction it waited behind about half the time: 7.7 to 31 frames a checkpoint on average.
TEST(CheckpointerTest, PassTwoCopiesLittleWhenWritersPause) {
  testing::TempDir dir;
  const std::string path = dir.File("pause.db");
  Database writers(path);
  writers.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, k BLOB NOT NULL UNIQUE, v BLOB NOT NULL)");
  auto insert = writers.Prepare("INSERT INTO t (k, v) VALUES (?, ?)");
  std::mt19937_64 random(11);
  std::string key(16, '\0'), value(100, 'v');
  auto commit = [&](int rows, std::chrono::milliseconds busy = {}) {
    InTransaction(writers, [&] {
      for (int r = 0; r < rows; ++r) {
        for (char& c : key) c = static_cast<char>(random());  // Random index pages.
        insert.BindBlob(1, key).BindBlob(2, value).Run();
      }
      std::this_thread::sleep_for(busy);
    });
  };
  constexpr int kRows = 40;
  for (int i = 0; i < 500; ++i) commit(kRows);  // An index of many pages, as a site's is.
  writers.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  commit(kRows);
  auto wal = writers.Prepare("PRAGMA wal_checkpoint(PASSIVE)");  // busy, WAL frames, copied
  ASSERT_TRUE(wal.Step());
  const std::int64_t frames_per_transaction = wal.Int(1);
  wal.Reset();
  ASSERT_GT(frames_per_transaction, 20);

  Checkpointer checkpointer(writers, 2000);
  // On a busy machine the checkpointer's thread may get few turns in 300 rounds, so the writer
  // goes on until it has seen enough checkpoints, within a deadline.
  constexpr std::uint64_t kCheckpoints = 4;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (int i = 0; (i < 300 || checkpointer.checkpoints() < kCheckpoints) &&
                  std::chrono::steady_clock::now() < deadline;
       ++i) {
    commit(kRows, std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GE(checkpointer.checkpoints(), kCheckpoints);
  const double held_per_checkpoint = static_cast<double>(checkpointer.frames_copied_held()) /
                                     static_cast<double>(checkpointer.checkpoints());
  EXPECT_LT(held_per_checkpoint, frames_per_transaction / 8.0)
      << checkpointer.checkpoints() << " checkpoints; a transaction is " << frames_per_transaction
      << " frames";
}

}  // namespace
}  // namespace fieldproof::store
