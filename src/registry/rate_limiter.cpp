#include "registry/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace cellar::registry {

int64_t RateDecision::retry_after_header() const {
  if (allowed) return 0;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(retry_after_s)));
}

RateLimiter::KeyState& RateLimiter::state(const std::string& key) {
  auto it = keys_.find(key);
  if (it == keys_.end()) it = keys_.emplace(key, KeyState{defaults_, {}, {}}).first;
  return it->second;
}

void RateLimiter::refill(Bucket& b, double per_minute, Clock::time_point now) {
  if (!b.started) {
    b.level = per_minute;  // a new key starts with a full minute's allowance
    b.updated = now;
    b.started = true;
    return;
  }
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  if (elapsed > 0) {
    b.level = std::min(per_minute, b.level + elapsed * per_minute / 60.0);
    b.updated = now;
  }
}

void RateLimiter::set_limits(const std::string& key, RateLimits limits) {
  std::lock_guard lock(mu_);
  state(key).limits = limits;
}

RateDecision RateLimiter::admit(const std::string& key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  KeyState& s = state(key);
  RateDecision d;
  double wait = 0;
  if (s.limits.requests_per_minute > 0) {
    refill(s.requests, s.limits.requests_per_minute, now);
    if (s.requests.level < 1.0) wait = (1.0 - s.requests.level) * 60.0 / s.limits.requests_per_minute;
  }
  if (s.limits.tokens_per_minute > 0) {
    refill(s.tokens, s.limits.tokens_per_minute, now);
    // In debt from earlier answers: wait until the bucket is positive again.
    if (s.tokens.level <= 0) {
      wait = std::max(wait, (1.0 - s.tokens.level) * 60.0 / s.limits.tokens_per_minute);
    }
  }
  if (wait > 0) {
    d.allowed = false;
    d.retry_after_s = wait;
    return d;
  }
  if (s.limits.requests_per_minute > 0) s.requests.level -= 1.0;
  return d;
}

void RateLimiter::charge_tokens(const std::string& key, uint64_t tokens, Clock::time_point now) {
  std::lock_guard lock(mu_);
  KeyState& s = state(key);
  if (s.limits.tokens_per_minute <= 0) return;
  refill(s.tokens, s.limits.tokens_per_minute, now);
  s.tokens.level -= static_cast<double>(tokens);
}

}  // namespace cellar::registry
