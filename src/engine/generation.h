#pragma once
// What a caller (CLI, HTTP server, probes) asks of the engine and what it gets
// back. Requests carry token ids: rendering chat templates and tokenizing are
// the caller's job, so the engine never sees HTTP or JSON.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sampling/sampling_params.h"

namespace cellar::engine {

// Prompt + max_tokens beyond the context, bad parameters: the request is refused
// before it is queued (HTTP 400).
class RequestError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};
// The bounded wait queue is full (HTTP 429 with Retry-After).
class QueueFullError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class FinishReason { kStop, kLength, kCancelled, kTimeout, kError };
const char* finish_reason_name(FinishReason r);  // "stop", "length", "cancelled", "timeout", "error"

struct TokenEvent {
  int32_t token = -1;
  std::string text;  // newly completed UTF-8 text (may be empty while a character or stop string is pending)
};

struct GenerationResult {
  FinishReason reason = FinishReason::kStop;
  std::string error;           // for kError
  int prompt_tokens = 0;
  int cached_tokens = 0;       // prompt tokens reused from the slot's KV cache
  int completion_tokens = 0;
  double queue_seconds = 0;    // submit -> first scheduled
  double ttft_seconds = 0;     // submit -> first token
  double total_seconds = 0;    // submit -> done
  double prompt_eval_seconds = 0;
  double eval_seconds = 0;     // decode time
};

struct GenerationRequest {
  std::vector<int32_t> prompt;     // token ids, BOS already added if the model wants it
  SamplingParams sampling;
  int max_tokens = 256;            // >= 1
  std::vector<std::string> stop;   // stop strings; the text up to (not including) a stop is returned
  bool ignore_eos = false;
  double timeout_seconds = 0;      // 0 = none; past it the request ends with kTimeout
  // Called on the engine thread for each generated token. Return false to cancel
  // (client disconnected): the slot is freed within one step.
  std::function<bool(const TokenEvent&)> on_token;
  // Called exactly once, on the engine thread, when the request ends (any reason).
  std::function<void(const GenerationResult&)> on_done;
};

}  // namespace cellar::engine
