// FairQueue: clients take turns, whatever order their requests came in.
#include "gateway/http/fair_queue.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace fieldproof::http {
namespace {

void RunJobs(FairQueue& queue, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    auto job = queue.Pop();
    ASSERT_TRUE(job.has_value());
    (*job)();
  }
}

TEST(FairQueueTest, ClientsTakeTurnsWhateverOrderTheirRequestsCameIn) {
  FairQueue queue(100);
  std::vector<std::string> ran;
  // An owner fetching exports on eight connections, then a supervisor's one request.
  for (int i = 0; i < 8; ++i) queue.Push("owner", [&ran, i] { ran.push_back("owner" + std::to_string(i)); });
  queue.Push("supervisor", [&ran] { ran.push_back("supervisor"); });
  queue.Push("billing", [&ran] { ran.push_back("billing"); });
  RunJobs(queue, 10);
  ASSERT_EQ(ran.size(), 10u);
  EXPECT_EQ(ran[0], "owner0");
  EXPECT_EQ(ran[1], "supervisor") << "second, not ninth";
  EXPECT_EQ(ran[2], "billing");
  EXPECT_EQ(ran[3], "owner1");
  EXPECT_EQ(ran[9], "owner7") << "each client's own in the order they came";
}

TEST(FairQueueTest, IsBounded) {
  FairQueue queue(2);
  EXPECT_TRUE(queue.Push("a", [] {}));
  EXPECT_TRUE(queue.Push("b", [] {}));
  EXPECT_FALSE(queue.Push("c", [] {}));
  ASSERT_TRUE(queue.Pop().has_value());
  EXPECT_TRUE(queue.Push("c", [] {}));
}

TEST(FairQueueTest, CloseWakesAWaitingWorkerAndRefusesMore) {
  FairQueue queue(10);
  std::thread worker([&queue] { EXPECT_FALSE(queue.Pop().has_value()); });
  queue.Close();
  worker.join();
  EXPECT_FALSE(queue.Push("a", [] {}));
}

TEST(FairQueueTest, CloseDropsWhatStillWaits) {
  FairQueue queue(10);
  bool ran = false;
  queue.Push("a", [&ran] { ran = true; });
  queue.Close();
  EXPECT_FALSE(queue.Pop().has_value());
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace fieldproof::http
