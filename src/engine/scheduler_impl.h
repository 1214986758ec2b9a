#pragma once
// Internal state of the Scheduler, shared by scheduler.cpp (API, engine loop,
// slot assignment) and scheduler_step.cpp (one batched forward step).
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "engine/scheduler.h"
#include "engine/slot.h"
#include "model/context.h"
#include "tokenizer/tokenizer.h"

namespace cellar::engine {

// An embeddings call waiting for a free slot to run in.
struct EmbedJob {
  const std::vector<std::vector<int32_t>>* inputs;  // owned by the blocked caller
  std::shared_ptr<std::promise<std::vector<std::vector<float>>>> done;
};

struct Scheduler::Impl {
  std::shared_ptr<const Model> model;
  std::shared_ptr<const Tokenizer> tokenizer;
  SchedulerOptions opts;
  std::unique_ptr<InferenceContext> ctx;  // n_slots KV sequences, one per slot
  std::vector<Slot> slots;                // [n_slots], touched by the engine thread only

  std::mutex mu;
  std::condition_variable cv;
  std::condition_variable idle_cv;
  std::deque<ActiveRequest> queue;              // guarded by mu
  std::set<uint64_t> cancel_ids;                // guarded by mu
  std::deque<EmbedJob> embed_jobs;              // guarded by mu; run on the engine thread in a free slot
  bool stopping = false;                        // guarded by mu
  bool draining = false;                        // guarded by mu

  std::atomic<uint64_t> next_id{1};
  std::atomic<int> n_running{0};
  std::atomic<int> n_waiting{0};
  std::atomic<int64_t> kv_cells{0};
  std::atomic<uint64_t> prompt_tokens_total{0};
  std::atomic<uint64_t> generated_tokens_total{0};
  std::thread thread;

  void loop();
  bool has_work_locked() const;
  void take_queued_locked();
  void apply_cancellations_locked();
  void expire_timeouts();
  // One batched forward pass over every active slot; false when there was nothing to do.
  bool step();
  void on_logits(Slot& slot, std::span<const float> logits);
  void emit(Slot& slot, int32_t token, const std::string& text);
  void finish(Slot& slot, FinishReason reason, std::string error = {});
  void fail_all_active(const std::string& error);
  // Runs queued embeddings in free slots; the ones that found none stay queued.
  void run_embeddings();
  std::vector<float> embed_one(Slot& slot, const std::vector<int32_t>& tokens);
};

}  // namespace cellar::engine
