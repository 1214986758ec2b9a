#include "util/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace cellar {
namespace {

TEST(ThreadPool, EveryIndexRunsExactlyOnce) {
  for (int n : {1, 2, 3, 5}) {
    ThreadPool pool(n);
    EXPECT_EQ(pool.size(), n);
    std::vector<std::atomic<int>> hits(n);
    std::atomic<int> bad_nth{0};
    pool.run([&](int ith, int nth) {
      if (nth != n) bad_nth++;
      hits[ith]++;
    });
    EXPECT_EQ(bad_nth.load(), 0);
    for (int i = 0; i < n; ++i) EXPECT_EQ(hits[i].load(), 1) << "n=" << n << " ith=" << i;
  }
}

TEST(ThreadPool, RepeatedRunsSeeEachOthersWrites) {
  ThreadPool pool(3);
  std::vector<int64_t> data(3000, 0);  // [3 workers][1000]
  for (int round = 0; round < 300; ++round) {
    pool.run([&](int ith, int nth) {
      for (size_t i = ith; i < data.size(); i += nth) data[i] += 1;
    });
  }
  for (int64_t v : data) ASSERT_EQ(v, 300);
}

TEST(ThreadPool, ZeroOrNegativeMeansOneThread) {
  ThreadPool pool(0);
  EXPECT_EQ(pool.size(), 1);
  int calls = 0;
  pool.run([&](int ith, int nth) {
    EXPECT_EQ(ith, 0);
    EXPECT_EQ(nth, 1);
    ++calls;
  });
  EXPECT_EQ(calls, 1);
  EXPECT_GE(default_thread_count(), 1);
}

}  // namespace
}  // namespace cellar
