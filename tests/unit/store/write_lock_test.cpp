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
    std::this_thread::sleep_for(30ms);  // Each asks after the one before.
  }
  lock.unlock();
  for (auto& waiter : waiters) waiter.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
}

TEST(FifoLockTest, AWaiterThatTimesOutDoesNotHoldUpTheNext) {
  FifoLock lock;
  ASSERT_TRUE(lock.try_lock_for(1s));
  std::thread impatient([&] { EXPECT_FALSE(lock.try_lock_for(50ms)); });
  std::this_thread::sleep_for(10ms);
  std::atomic<bool> got{false};
  std::thread patient([&] {
    got = lock.try_lock_for(5s);
    if (got) lock.unlock();
  });
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
