// The process's write lock (sqlite_db.hpp): writers on one file take turns in the order
// they asked, a waiter gives up after its timeout without blocking the queue, and
// connections to other files do not wait for each other.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "gateway/store/sqlite_db.hpp"

namespace fieldproof::store {
namespace {

using namespace std::chrono_literals;

// Waits for `n` threads to queue for `lock`: a sleep would guess how long that takes.
bool QueuedWithin(FifoLock& lock, std::size_t n, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (lock.waiting() < n) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(FifoLockTest, WaitersGoInTheOrderTheyAsked) {
  FifoLock lock;
  ASSERT_TRUE(lock.try_lock_for(1s));
  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([&, i] {
      ASSERT_TRUE(lock.try_lock_for(5s));
      {
        std::lock_guard guard(order_mutex);
        order.push_back(i);
      }
      lock.unlock();
    });
    ASSERT_TRUE(QueuedWithin(lock, i + 1u, 5s));  // Each asks after the one before.
  }
  lock.unlock();
  for (auto& waiter : waiters) waiter.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
}

TEST(FifoLockTest, AWaiterThatTimesOutDoesNotHoldUpTheNext) {
  FifoLock lock;
  ASSERT_TRUE(lock.try_lock_for(1s));
  std::thread impatient([&] { EXPECT_FALSE(lock.try_lock_for(2s)); });
  ASSERT_TRUE(QueuedWithin(lock, 1, 5s));
  std::atomic<bool> got{false};
  std::thread patient([&] {
    got = lock.try_lock_for(10s);
    if (got) lock.unlock();
  });
  ASSERT_TRUE(QueuedWithin(lock, 2, 5s));  // Behind the impatient one, which gives up first.
  impatient.join();
  lock.unlock();
  patient.join();
  EXPECT_TRUE(got);
}

TEST(FifoLockTest, ConnectionsToOneFileShareItAndOtherFilesDoNot) {
  const auto dir = std::filesystem::temp_directory_path() / ("fp-write-lock-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    Database a((dir / "one.db").string());
    Database b((dir / "./one.db").string());
    Database other((dir / "two.db").string());
    EXPECT_EQ(&a.write_lock(), &b.write_lock());
    EXPECT_NE(&a.write_lock(), &other.write_lock());
    // A transaction on one file does not wait for one open on another.
    InTransaction(a, [&] { InTransaction(other, [] {}); });
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fieldproof::store
