#pragma once
// Continuous batching: one engine thread runs steps; every step decodes one
// token for every running sequence in a single batched forward pass, and
// prefills waiting prompts in chunks so running streams keep flowing. Each
// slot owns a region of the KV cache and remembers its tokens, so a new
// request that shares a prefix with a slot (next chat turn, common system
// prompt) reuses it (prompt cache).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/generation.h"
#include "gguf/ggml_type.h"

namespace cellar {
class Model;
class Tokenizer;
}  // namespace cellar

namespace cellar::engine {

struct SchedulerOptions {
  int n_slots = 4;           // concurrent sequences (--parallel)
  int n_ctx = 2048;          // context per slot (--ctx), <= the model's trained context
  int n_threads = 0;         // 0 = physical cores
  int max_queue = 64;        // waiting requests beyond the slots (--queue); more -> QueueFullError
  int prefill_chunk = 256;   // prompt tokens per step per sequence
  GgmlType kv_type = GgmlType::F16;  // KV cache: F16 or Q8_0 (--kv-type)
};

struct SchedulerStats {
  int running = 0;
  int waiting = 0;
  int n_slots = 0;
  double kv_usage = 0;       // fraction of KV cells in use, 0..1
  uint64_t prompt_tokens_total = 0;
  uint64_t generated_tokens_total = 0;
};

class Scheduler {
 public:
  Scheduler(std::shared_ptr<const Model> model, std::shared_ptr<const Tokenizer> tokenizer, SchedulerOptions opts);
  ~Scheduler();  // stops the engine thread; pending requests end with kCancelled
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Validates (RequestError) and queues (QueueFullError) the request; returns its id.
  uint64_t submit(GenerationRequest req);
  // Cancels a queued or running request (idempotent; on_done gets kCancelled).
  void cancel(uint64_t id);

  // Mean-pooled, L2-normalised final hidden states, one vector per input.
  // They run in a free slot (its prompt cache is dropped), like a generation
  // request: when every slot is busy, the call waits for one to free up.
  std::vector<std::vector<float>> embed(const std::vector<std::vector<int32_t>>& inputs);

  // KV cache sequences a scheduler with `n_slots` allocates (one per slot),
  // so a memory budget can count them all.
  static int kv_sequences(int n_slots) { return n_slots; }

  SchedulerStats stats() const;
  const SchedulerOptions& options() const;
  // Stop taking requests; wait up to `deadline_seconds` for running ones, then cancel the rest.
  void drain(double deadline_seconds);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cellar::engine
