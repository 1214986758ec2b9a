#include <gtest/gtest.h>

#include "registry/rate_limiter.h"

namespace cellar::registry {
namespace {

using namespace std::chrono_literals;
using Clock = RateLimiter::Clock;

TEST(RateLimiter, AllowsABurstThenRefusesWithRetryAfter) {
  RateLimiter rl({60, 0});  // one request per second, burst 60
  Clock::time_point t0{};
  for (int i = 0; i < 60; ++i) EXPECT_TRUE(rl.admit("k", t0).allowed) << i;
  RateDecision d = rl.admit("k", t0);
  EXPECT_FALSE(d.allowed);
  EXPECT_NEAR(d.retry_after_s, 1.0, 1e-9);
  EXPECT_EQ(d.retry_after_header(), 1);
  EXPECT_FALSE(rl.admit("k", t0 + 500ms).allowed);
  EXPECT_TRUE(rl.admit("k", t0 + 1s).allowed);
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter rl({1, 0});
  Clock::time_point t0{};
  EXPECT_TRUE(rl.admit("a", t0).allowed);
  EXPECT_FALSE(rl.admit("a", t0).allowed);
  EXPECT_TRUE(rl.admit("b", t0).allowed);
  EXPECT_NEAR(rl.admit("a", t0 + 30s).retry_after_s, 30.0, 1e-9);
}

TEST(RateLimiter, TokenDebtDelaysLaterRequests) {
  RateLimiter rl({0, 600});  // 10 tokens per second
  Clock::time_point t0{};
  EXPECT_TRUE(rl.admit("k", t0).allowed);
  rl.charge_tokens("k", 800, t0);  // 200 tokens in debt
  RateDecision d = rl.admit("k", t0);
  EXPECT_FALSE(d.allowed);
  EXPECT_NEAR(d.retry_after_s, 20.1, 1e-9);  // until the bucket holds one token again
  EXPECT_EQ(d.retry_after_header(), 21);
  EXPECT_TRUE(rl.admit("k", t0 + 21s).allowed);
}

TEST(RateLimiter, ZeroMeansUnlimitedAndPerKeyLimitsOverride) {
  RateLimiter rl;
  Clock::time_point t0{};
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(rl.admit("k", t0).allowed);
  rl.set_limits("slow", {2, 0});
  EXPECT_TRUE(rl.admit("slow", t0).allowed);
  EXPECT_TRUE(rl.admit("slow", t0).allowed);
  EXPECT_FALSE(rl.admit("slow", t0).allowed);
}

}  // namespace
}  // namespace cellar::registry
