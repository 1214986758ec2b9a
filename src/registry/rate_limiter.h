#pragma once
// Per-key rate limits as token buckets: requests per minute (one token per
// request, checked on admission) and generated tokens per minute (charged
// after the fact, so a long answer puts the key in debt and later requests
// wait). Bursts up to one minute's allowance. Thread-safe.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace cellar::registry {

struct RateLimits {
  double requests_per_minute = 0;  // 0: unlimited
  double tokens_per_minute = 0;    // 0: unlimited
};

struct RateDecision {
  bool allowed = true;
  double retry_after_s = 0;  // when refused: seconds until a retry can pass
  // Whole seconds for an HTTP Retry-After header (at least 1 when refused).
  int64_t retry_after_header() const;
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(RateLimits defaults = {}) : defaults_(defaults) {}

  void set_limits(const std::string& key, RateLimits limits);
  // Takes one request from `key`'s bucket, or refuses with the wait.
  RateDecision admit(const std::string& key, Clock::time_point now = Clock::now());
  // Records `tokens` generated for `key`.
  void charge_tokens(const std::string& key, uint64_t tokens, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double level = 0;
    Clock::time_point updated{};
    bool started = false;
  };
  struct KeyState {
    RateLimits limits;
    Bucket requests;
    Bucket tokens;
  };
  KeyState& state(const std::string& key);
  static void refill(Bucket& b, double per_minute, Clock::time_point now);

  RateLimits defaults_;
  std::mutex mu_;
  std::map<std::string, KeyState> keys_;
};

}  // namespace cellar::registry
