#pragma once
// One sequence slot of the scheduler: the request it serves (if any) and the
// tokens whose keys/values sit in its region of the KV cache. Those tokens
// outlive the request, which is what makes prompt caching work.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/generation.h"
#include "engine/stop_matcher.h"
#include "sampling/sampler.h"
#include "tokenizer/stream_detokenizer.h"

namespace cellar::engine {

using Clock = std::chrono::steady_clock;

struct ActiveRequest {
  uint64_t id = 0;
  GenerationRequest req;
  Clock::time_point submitted;
  Clock::time_point started;
  std::optional<Clock::time_point> first_token;
  size_t n_prompt_done = 0;     // prompt tokens whose K/V are in the cache
  int32_t pending = -1;         // sampled token not yet fed to the model
  std::vector<int32_t> history; // prompt + generated, for penalties
  std::unique_ptr<Sampler> sampler;
  std::unique_ptr<StreamDetokenizer> detok;
  std::unique_ptr<StopMatcher> stop;
  GenerationResult result;
  bool cancelled = false;
};

struct Slot {
  int index = 0;
  std::vector<int32_t> cached;   // tokens at positions 0..n-1 of this slot's KV region
  std::optional<ActiveRequest> active;
  Clock::time_point last_used{};
};

}  // namespace cellar::engine
