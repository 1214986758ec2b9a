#pragma once
// The real InferenceBackend: each served model is a GGUF file loaded into a
// Model, its Tokenizer and chat template, and a continuous-batching
// Scheduler. Eager (pinned) models load and warm up (one short forward pass)
// on a background thread so /health answers at once and /ready turns 200 when
// all are warm. Lazy ones (registry deployments) load on their first request,
// which waits for load and warm-up.
//
// All loaded models share one memory budget (registry/memory_budget.h): a
// model costs its mapped file bytes plus its KV cache. A load that does not
// fit first unloads least-recently-used idle models; if it still does not fit
// the request gets 503 naming the budget, the need and what is loaded. Models
// idle for keep_alive are unloaded; a request in flight keeps its model (the
// pointer find() returns holds it in use until the last copy goes).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/memory_budget.h"
#include "server/backend.h"
#include "server/server_metrics.h"

namespace cellar {
class Model;
class Tokenizer;
}  // namespace cellar

namespace cellar::server {

struct ModelSpec {
  // Default member initialisers let callers name only the fields they set.
  std::string name = {};
  std::string path = {};
  std::string chat_template_file = {};  // overrides the GGUF's tokenizer.chat_template
  std::optional<std::string> chat_template = {};  // a deployment template's Jinja override; wins over the file
  std::string version = {};           // X-Cellar-Model-Version ("NAME:N" for a deployment); empty: the file name
  std::string template_version = {};  // X-Cellar-Template-Version; empty: where the template came from
  std::string system_prompt = {};     // a deployment template's default system message
  nlohmann::json parameters = nlohmann::json::object();  // default sampling parameters (template + deployment)
  bool lazy = false;               // load on first request (else at start, pinned: never unloaded)
};

struct EngineOptions {
  int n_ctx = 2048;      // per slot; clamped to the model's trained context
  int n_slots = 4;
  int n_threads = 0;
  int max_queue = 64;
  GgmlType kv_type = GgmlType::F16;  // KV cache element type: F16 or Q8_0
  uint64_t memory_budget = 0;  // bytes for all loaded models; 0 = registry::default_memory_budget()
  // Idle time after which a lazy model is unloaded (Ollama's keep_alive):
  // 0 = right after its last request, negative = never.
  std::chrono::milliseconds keep_alive = std::chrono::minutes(5);
  // A model that does not fit waits this long for requests running on other
  // models to end before it is refused with 503: a request's lease is dropped
  // just after its response, so a client switching models at once would
  // otherwise see a spurious refusal.
  std::chrono::milliseconds busy_wait = std::chrono::milliseconds(1000);
};

class EngineModel;

// References to models dropped by finished requests, released later on
// another thread (a scheduler thread cannot destroy its own scheduler). It
// also counts the leases out, so the backend outlives every one of them: the
// last copy of a request's lease can go on a scheduler thread just after the
// client already has its response.
class ModelParking {
 public:
  void lease_out();                            // a lease was handed out
  void park(std::shared_ptr<EngineModel> m);   // that lease ended: the last thing it does
  void wait_all_parked();                      // until every lease handed out has ended
  void clear();  // drops them here; never call from a scheduler thread

 private:
  std::mutex mu_;
  std::condition_variable parked_cv_;
  int out_ = 0;
  std::vector<std::shared_ptr<EngineModel>> parked_;
};

class EngineBackend : public InferenceBackend {
 public:
  // Load and warm-up times and model sizes go to `metrics` when given.
  EngineBackend(std::vector<ModelSpec> specs, EngineOptions opts, ServerMetrics* metrics = nullptr);
  // Also samples the memory budget into `metrics` before each scrape.
  void set_metrics(ServerMetrics* metrics);
  ~EngineBackend() override;

  // Loads and warms every model on a background thread; `on_error` gets a
  // message when one fails (the process should then exit non-zero).
  void start_loading(std::function<void(const std::string&)> on_error);
  // Waits for the background loader to finish (successfully or not).
  void wait_loaded();
  // Loads and warms in the calling thread (tests, CLI checks); throws on failure.
  void load_all();

  std::vector<std::string> model_names() const override;
  // Loads a lazy model first (blocking); throws ApiError 503 when it does not fit the budget.
  std::shared_ptr<ModelBackend> find(const std::string& name) const override;
  std::shared_ptr<ModelBackend> peek(const std::string& name) const override;
  // A lazy model not loaded yet: from its GGUF header (ApiError 500 when the file cannot be read).
  std::optional<ModelInfo> describe(const std::string& name) const override;
  Readiness readiness() const override;
  void drain(double deadline_seconds) override;

  std::vector<LoadedModel> loaded_models() const override;
  const registry::MemoryBudget& budget() const { return budget_; }
  // Unloads models idle longer than keep_alive and releases the budget of
  // replaced ones whose last request finished (the background reaper calls this).
  void unload_expired();

  // Points served name `next.name` at a new target (a deployment changed). A
  // loaded model is replaced without downtime: the new one loads and warms
  // while the old one serves, then new requests move to it and in-flight
  // ones finish on the old one, which is released after them. Not loaded: the
  // next request loads the new target. Throws when the new one cannot load
  // (the old one keeps serving).
  void redeploy(const ModelSpec& next);

 private:
  struct Slot {
    ModelSpec spec;
    std::shared_ptr<EngineModel> model;  // null while not loaded
    std::string key;                     // the loaded model's budget entry
    bool loading = false;
  };
  // Loads and warms `spec` under the budget; returns it counted as in use once.
  std::shared_ptr<EngineModel> load_instance(const ModelSpec& spec) const;
  // Loads `spec` for `slot` with mu_ released meanwhile (slot.loading set); relocks before returning.
  std::shared_ptr<EngineModel> load_unlocked(Slot& slot, const ModelSpec& spec,
                                             std::unique_lock<std::mutex>& lock) const;
  std::shared_ptr<EngineModel> load_slot(Slot& slot, std::unique_lock<std::mutex>& lock) const;
  std::shared_ptr<ModelBackend> lease(const Slot& slot) const;
  // Whether a model other than `key` has requests running (it may be evictable soon).
  bool other_model_busy_locked(const std::string& key) const;
  Slot* slot_by_key(const std::string& key) const;  // caller holds mu_
  // Takes the model out of its slot (caller holds mu_); returned so it is destroyed after unlocking.
  std::shared_ptr<EngineModel> unload_locked(Slot& slot) const;
  void release_retired_locked() const;
  // Moves `slot` to model `m` (caller holds mu_); the old one is retired.
  void switch_locked(Slot& slot, const ModelSpec& spec, std::shared_ptr<EngineModel> m) const;
  void reap_loop();

  std::vector<ModelSpec> specs_;
  EngineOptions opts_;
  ServerMetrics* metrics_;
  mutable registry::MemoryBudget budget_;
  mutable ModelParking parking_;
  mutable std::mutex mu_;
  mutable std::condition_variable loaded_cv_;
  mutable std::map<std::string, Slot> slots_;
  // Replaced models still finishing requests, by budget key (released when idle).
  mutable std::map<std::string, std::weak_ptr<EngineModel>> retired_;
  std::string status_;  // what is happening while the eager models are not ready
  std::thread loader_;
  std::atomic<bool> stopping_{false};
  std::mutex reap_mu_;
  std::condition_variable reap_cv_;
  std::thread reaper_;
};

// The memory budget's name for a loaded model: "NAME (VERSION + TEMPLATE VERSION)".
std::string budget_key(const ModelSpec& spec);

// Loads one model; exposed for tests and the warm-up timing. `reserve`, when
// given, gets the model's cost (mapped bytes + KV cache) after the file is
// mapped and before the KV cache is allocated; it throws to stop the load.
std::shared_ptr<EngineModel> load_engine_model(const ModelSpec& spec, const EngineOptions& opts,
                                               double* load_seconds, double* warmup_seconds,
                                               const std::function<void(uint64_t)>& reserve = nullptr);

}  // namespace cellar::server
