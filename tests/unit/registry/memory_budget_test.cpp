#include <gtest/gtest.h>

#include "registry/memory_budget.h"

namespace cellar::registry {
namespace {

using namespace std::chrono_literals;
using Clock = MemoryBudget::Clock;
constexpr uint64_t kGiB = 1ull << 30;

TEST(MemoryBudget, FitsWithoutEvictingWhenThereIsRoom) {
  MemoryBudget b(10 * kGiB);
  Clock::time_point t0{};
  EXPECT_TRUE(b.reserve("a", 4 * kGiB, t0).empty());
  EXPECT_TRUE(b.reserve("b", 6 * kGiB, t0).empty());
  EXPECT_EQ(b.used_bytes(), 10 * kGiB);
}

TEST(MemoryBudget, EvictsLeastRecentlyUsedIdleFirst) {
  MemoryBudget b(10 * kGiB);
  Clock::time_point t0{};
  b.reserve("old", 3 * kGiB, t0);
  b.reserve("mid", 3 * kGiB, t0 + 1s);
  b.reserve("new", 3 * kGiB, t0 + 2s);
  b.acquire("old", t0 + 3s);  // used recently: now the newest
  b.unacquire("old", t0 + 3s);
  auto evicted = b.reserve("big", 5 * kGiB, t0 + 4s);
  ASSERT_EQ(evicted, (std::vector<std::string>{"mid", "new"}));
  EXPECT_TRUE(b.contains("old"));
  EXPECT_TRUE(b.contains("big"));
  EXPECT_EQ(b.used_bytes(), 8 * kGiB);
}

TEST(MemoryBudget, NeverEvictsPinnedOrInUse) {
  MemoryBudget b(10 * kGiB);
  Clock::time_point t0{};
  b.reserve("pinned", 4 * kGiB, t0);
  b.set_pinned("pinned", true);
  b.reserve("busy", 4 * kGiB, t0 + 1s);
  b.acquire("busy", t0 + 1s);
  b.reserve("idle", 2 * kGiB, t0 + 2s);
  EXPECT_EQ(b.reserve("x", 2 * kGiB, t0 + 3s), std::vector<std::string>{"idle"});
}

TEST(MemoryBudget, FailureNamesBudgetNeedAndLoadedAndEvictsNothing) {
  MemoryBudget b(10 * kGiB);
  Clock::time_point t0{};
  b.reserve("pinned", 6 * kGiB, t0);
  b.set_pinned("pinned", true);
  b.reserve("idle", 2 * kGiB, t0);
  try {
    b.reserve("huge", 5 * kGiB, t0);
    FAIL() << "reserved beyond the budget";
  } catch (const BudgetExceeded& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("10.0 GiB"), std::string::npos) << msg;  // the budget
    EXPECT_NE(msg.find("5.0 GiB"), std::string::npos) << msg;   // the need
    EXPECT_NE(msg.find("pinned 6.0 GiB pinned"), std::string::npos) << msg;
    EXPECT_NE(msg.find("idle 2.0 GiB"), std::string::npos) << msg;
  }
  EXPECT_TRUE(b.contains("idle"));  // a failed reserve unloads nothing
  EXPECT_EQ(b.used_bytes(), 8 * kGiB);
  EXPECT_THROW(b.reserve("bigger-than-all", 11 * kGiB, t0), BudgetExceeded);
}

TEST(MemoryBudget, KeepAliveExpiry) {
  MemoryBudget b(10 * kGiB);
  Clock::time_point t0{};
  b.reserve("a", kGiB, t0);
  b.reserve("b", kGiB, t0 + 4min);
  b.reserve("p", kGiB, t0);
  b.set_pinned("p", true);
  EXPECT_EQ(b.expired(5min, t0 + 5min), std::vector<std::string>{"a"});
  b.acquire("a", t0 + 5min);
  EXPECT_TRUE(b.expired(5min, t0 + 11min).size() == 1);  // only b: a is in use
  b.release("b");
  EXPECT_FALSE(b.contains("b"));
  EXPECT_EQ(b.used_bytes(), 2 * kGiB);
}

TEST(MemoryBudget, DefaultIsEightyPercentOfRam) {
  uint64_t d = default_memory_budget();
  EXPECT_GT(d, 0u);
  EXPECT_LT(d, 1ull << 50);
}

TEST(MemorySize, Parses) {
  EXPECT_EQ(parse_memory_size("8G"), 8 * kGiB);
  EXPECT_EQ(parse_memory_size("512MiB"), 512ull << 20);
  EXPECT_EQ(parse_memory_size("1.5GB"), 1'500'000'000ull);
  EXPECT_EQ(parse_memory_size("1000"), 1000u);
  EXPECT_THROW(parse_memory_size("lots"), InvalidInput);
  EXPECT_THROW(parse_memory_size("8Q"), InvalidInput);
  EXPECT_THROW(parse_memory_size("150%"), InvalidInput);
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
}

}  // namespace
}  // namespace cellar::registry
