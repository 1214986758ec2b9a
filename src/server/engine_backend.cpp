#include "server/engine_backend.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <future>
#include <thread>

#include "engine/scheduler.h"
#include "model/model.h"
#include "server/api_error.h"
#include "server/model_description.h"
#include "engine/chat_prompt.h"
#include "tokenizer/jinja/error.h"
#include "tokenizer/tokenizer.h"

namespace cellar::server {

class EngineModel : public ModelBackend {
 public:
  EngineModel(ModelInfo info, std::shared_ptr<const Model> model, std::shared_ptr<const Tokenizer> tok,
              std::unique_ptr<engine::ChatPrompt> chat, const engine::SchedulerOptions& so,
              nlohmann::json parameters)
      : info_(std::move(info)), model_(std::move(model)), tok_(std::move(tok)), chat_(std::move(chat)),
        scheduler_(std::make_unique<engine::Scheduler>(model_, tok_, so)), parameters_(std::move(parameters)) {}

  const ModelInfo& info() const override { return info_; }

  PromptTokens tokenize(const std::string& text) const override {
    return {tok_->encode(text, /*add_special=*/true, /*parse_special=*/false)};
  }

  PromptTokens tokenize_chat(const nlohmann::ordered_json& messages) const override {
    // The template's control tokens are parsed; control-token text typed in a
    // message stays text (engine/chat_prompt.h), so users cannot forge turns.
    try {
      return {chat_->tokenize(messages, true)};
    } catch (const jinja::TemplateError& e) {
      // Templates raise on conversations they do not support (roles that do not
      // alternate, a system message where none is allowed): the caller can fix that.
      throw invalid_request(std::string("The model's chat template rejected the conversation: ") + e.what(),
                            "messages");
    }
  }

  uint64_t submit(engine::GenerationRequest req) override { return scheduler_->submit(std::move(req)); }
  void cancel(uint64_t id) override { scheduler_->cancel(id); }

  std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs, int* n_tokens) override {
    std::vector<std::vector<int32_t>> ids;
    *n_tokens = 0;
    for (const auto& s : inputs) {
      ids.push_back(tok_->encode(s, true, false));
      *n_tokens += static_cast<int>(ids.back().size());
    }
    return scheduler_->embed(ids);
  }

  engine::SchedulerStats stats() const override { return scheduler_->stats(); }

  nlohmann::json default_parameters() const override {
    std::lock_guard lock(parameters_mu_);
    return parameters_;
  }
  // A redeploy that changes only the deployment's parameters keeps the loaded model.
  void set_default_parameters(nlohmann::json parameters) {
    std::lock_guard lock(parameters_mu_);
    parameters_ = std::move(parameters);
  }

  void drain(double deadline) { scheduler_->drain(deadline); }

  // One short generation so the first user request does not pay for page
  // faults of the mapped weights and first-touch allocations.
  void warm_up() {
    engine::GenerationRequest req;
    req.prompt = tokenize("Hello").ids;
    req.max_tokens = 1;
    req.sampling.temperature = 0;
    // Shared with the callback: set_value may still be running on the
    // scheduler thread when get() returns here, and a promise on this stack
    // would then be destroyed under it.
    auto done = std::make_shared<std::promise<engine::GenerationResult>>();
    auto result = done->get_future();
    req.on_token = [](const engine::TokenEvent&) { return true; };
    req.on_done = [done](const engine::GenerationResult& r) { done->set_value(r); };
    scheduler_->submit(std::move(req));
    auto r = result.get();
    if (r.reason == engine::FinishReason::kError) throw std::runtime_error("warm-up failed: " + r.error);
  }

 private:
  ModelInfo info_;
  std::shared_ptr<const Model> model_;
  std::shared_ptr<const Tokenizer> tok_;
  std::unique_ptr<engine::ChatPrompt> chat_;
  std::unique_ptr<engine::Scheduler> scheduler_;
  mutable std::mutex parameters_mu_;
  nlohmann::json parameters_;
};

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

std::shared_ptr<EngineModel> load_engine_model(const ModelSpec& spec, const EngineOptions& opts,
                                               double* load_seconds, double* warmup_seconds,
                                               const std::function<void(uint64_t)>& reserve) {
  auto t0 = std::chrono::steady_clock::now();
  std::shared_ptr<const Model> model = Model::load(spec.path, {.mlock = false});
  const int n_ctx = std::min(opts.n_ctx, model->hparams().n_ctx_train);
  if (reserve) {
    const auto sequences = static_cast<uint64_t>(engine::Scheduler::kv_sequences(opts.n_slots));
    reserve(model->file().file_size() + sequences * model->kv_bytes_per_sequence(n_ctx, opts.kv_type));
  }
  std::shared_ptr<const Tokenizer> tok = Tokenizer::from_gguf(model->file());
  std::optional<std::string> override_source = chat_template_override(spec);
  std::unique_ptr<engine::ChatPrompt> chat;
  try {
    chat = std::make_unique<engine::ChatPrompt>(model->file(), tok, override_source);
  } catch (const std::exception& e) {
    throw std::invalid_argument("the chat template of model '" + spec.name + "' does not parse: " + e.what());
  }
  engine::SchedulerOptions so;
  so.n_ctx = n_ctx;
  so.n_slots = opts.n_slots;
  so.n_threads = opts.n_threads;
  so.max_queue = opts.max_queue;
  so.kv_type = opts.kv_type;
  const HParams& hp = model->hparams();
  ModelShape shape{hp.arch, hp.n_ctx_train, hp.n_vocab, hp.n_embd, model->weight_bytes()};
  ModelInfo info = describe_model(spec, model->file(), shape, chat->source(), so.n_ctx, so.n_slots);
  auto m = std::make_shared<EngineModel>(std::move(info), model, tok, std::move(chat), so, spec.parameters);
  *load_seconds = seconds_since(t0);
  auto t1 = std::chrono::steady_clock::now();
  m->warm_up();
  *warmup_seconds = seconds_since(t1);
  return m;
}

namespace {

// Keeps a model counted as in use by the budget until the last copy of the
// pointer find() returned is gone (the request and its stream are done). That
// can happen on the model's own scheduler thread, which must not destroy its
// scheduler, so the model is parked for the reaper thread to drop.
class Lease {
 public:
  Lease(std::shared_ptr<EngineModel> model, registry::MemoryBudget& budget, std::string key, ModelParking& parking)
      : model(std::move(model)), budget_(budget), key_(std::move(key)), parking_(parking) {
    parking_.lease_out();
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() {
    budget_.unacquire(key_);
    parking_.park(std::move(model));
  }

  std::shared_ptr<EngineModel> model;

 private:
  registry::MemoryBudget& budget_;
  const std::string key_;
  ModelParking& parking_;
};

std::chrono::milliseconds reap_interval(std::chrono::milliseconds keep_alive) {
  constexpr std::chrono::milliseconds kMax(250);  // also how soon a replaced model's memory is released
  if (keep_alive.count() < 0) return kMax;
  return std::clamp(keep_alive / 4, std::chrono::milliseconds(10), kMax);
}

void log_event(const nlohmann::json& j) { std::fprintf(stderr, "%s\n", j.dump().c_str()); }

}  // namespace

std::string budget_key(const ModelSpec& spec) {
  std::string target = spec.version;
  if (!spec.template_version.empty()) target += (target.empty() ? "" : " + ") + spec.template_version;
  return target.empty() ? spec.name : spec.name + " (" + target + ")";
}

EngineBackend::EngineBackend(std::vector<ModelSpec> specs, EngineOptions opts, ServerMetrics* metrics)
    : specs_(std::move(specs)), opts_(opts), metrics_(nullptr),
      budget_(opts.memory_budget > 0 ? opts.memory_budget : registry::default_memory_budget()),
      status_("models not loaded yet") {
  for (const auto& spec : specs_) slots_[spec.name].spec = spec;
  set_metrics(metrics);
  reaper_ = std::thread([this] { reap_loop(); });
}

EngineBackend::~EngineBackend() {
  if (loader_.joinable()) loader_.join();
  parking_.wait_all_parked();  // a request finishing on a scheduler thread still uses budget_ and parking_
  {
    std::lock_guard lock(reap_mu_);
    stopping_ = true;
  }
  reap_cv_.notify_all();
  if (reaper_.joinable()) reaper_.join();
  parking_.clear();
}

void EngineBackend::set_metrics(ServerMetrics* metrics) {
  metrics_ = metrics;
  if (!metrics_) return;
  metrics_->registry.add_collector([this] {
    metrics_->memory_budget.with({}).set(static_cast<double>(budget_.budget_bytes()));
    metrics_->memory_reserved.with({}).set(static_cast<double>(budget_.used_bytes()));
  });
}

EngineBackend::Slot* EngineBackend::slot_by_key(const std::string& key) const {
  for (auto& [name, slot] : slots_) {
    if (slot.model && slot.key == key) return &slot;
  }
  return nullptr;
}

bool EngineBackend::other_model_busy_locked(const std::string& key) const {
  for (const auto& e : budget_.snapshot()) {
    if (e.name != key && e.in_use > 0) return true;
  }
  return false;
}

std::shared_ptr<EngineModel> EngineBackend::load_instance(const ModelSpec& spec) const {
  const std::string key = budget_key(spec);
  bool reserved = false;
  auto reserve = [&](uint64_t cost) {
    const auto deadline = std::chrono::steady_clock::now() + opts_.busy_wait;
    for (;;) {
      std::vector<std::shared_ptr<EngineModel>> victims;  // destroyed after the lock is released
      std::unique_lock lock(mu_);
      std::vector<std::string> evict;
      try {
        evict = budget_.reserve(key, cost);
      } catch (const registry::BudgetExceeded& e) {
        if (std::chrono::steady_clock::now() < deadline && other_model_busy_locked(key)) {
          lock.unlock();
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          continue;
        }
        ApiError err(503, "server_error", e.what(), {}, "memory_budget_exceeded");
        err.retry_after_seconds = 5;
        throw err;
      }
      reserved = true;
      budget_.acquire(key);  // in use while loading, so no other load evicts it
      if (!spec.lazy) budget_.set_pinned(key, true);
      for (const auto& k : evict) {
        log_event({{"event", "model_unloaded"}, {"model", k}, {"reason", "memory budget, for " + key}});
        retired_.erase(k);
        if (Slot* victim = slot_by_key(k)) victims.push_back(unload_locked(*victim));
      }
      return;
    }
  };
  double load_s = 0, warm_s = 0;
  try {
    auto m = load_engine_model(spec, opts_, &load_s, &warm_s, reserve);
    if (metrics_) {
      metrics_->model_load_seconds.with({spec.name}).set(load_s);
      metrics_->model_warmup_seconds.with({spec.name}).set(warm_s);
      metrics_->model_bytes.with({spec.name, m->info().version}).set(static_cast<double>(m->info().weight_bytes));
    }
    log_event({{"event", "model_ready"}, {"model", spec.name}, {"version", m->info().version},
               {"load_seconds", load_s}, {"warmup_seconds", warm_s}, {"n_ctx", m->info().n_ctx},
               {"slots", m->info().n_slots}});
    return m;
  } catch (...) {
    if (reserved) {
      std::lock_guard lock(mu_);
      budget_.release(key);
    }
    throw;
  }
}

std::shared_ptr<EngineModel> EngineBackend::load_unlocked(Slot& slot, const ModelSpec& spec,
                                                         std::unique_lock<std::mutex>& lock) const {
  slot.loading = true;
  lock.unlock();
  std::shared_ptr<EngineModel> m;
  try {
    m = load_instance(spec);
  } catch (...) {
    lock.lock();
    slot.loading = false;
    loaded_cv_.notify_all();
    throw;
  }
  lock.lock();
  slot.loading = false;
  return m;
}

std::shared_ptr<EngineModel> EngineBackend::load_slot(Slot& slot, std::unique_lock<std::mutex>& lock) const {
  const ModelSpec spec = slot.spec;
  auto m = load_unlocked(slot, spec, lock);
  slot.model = m;
  slot.key = budget_key(spec);
  loaded_cv_.notify_all();
  return m;
}

void EngineBackend::redeploy(const ModelSpec& next) {
  std::unique_lock lock(mu_);
  auto it = slots_.find(next.name);
  if (it == slots_.end()) throw std::invalid_argument("redeploy: '" + next.name + "' is not served");
  Slot& slot = it->second;
  loaded_cv_.wait(lock, [&] { return !slot.loading; });
  ModelSpec spec = next;
  spec.lazy = slot.spec.lazy;
  const std::string key = budget_key(spec);
  if (!slot.model || key == slot.key) {  // not loaded: its next request loads the new target
    if (slot.model) slot.model->set_default_parameters(spec.parameters);
    slot.spec = spec;
    return;
  }
  if (auto r = retired_.find(key); r != retired_.end()) {
    // A quick rollback: the previous model still finishes requests, so it is still loaded and warm.
    auto revived = r->second.lock();
    retired_.erase(r);
    if (revived) {
      if (!spec.lazy) budget_.set_pinned(key, true);
      switch_locked(slot, spec, revived);
      return;
    }
    budget_.release(key);  // gone meanwhile; its entry was about to be released
  }
  auto m = load_unlocked(slot, spec, lock);  // the old model keeps serving meanwhile
  switch_locked(slot, spec, m);
  budget_.unacquire(key);  // the load's hold; requests take their own
}

void EngineBackend::switch_locked(Slot& slot, const ModelSpec& spec, std::shared_ptr<EngineModel> m) const {
  std::shared_ptr<EngineModel> old = std::move(slot.model);  // in-flight requests hold it until they finish
  if (old) {
    retired_[slot.key] = old;
    budget_.set_pinned(slot.key, false);
    if (metrics_) metrics_->model_bytes.remove({spec.name, old->info().version});
  }
  if (metrics_) metrics_->model_bytes.with({spec.name, m->info().version}).set(static_cast<double>(m->info().weight_bytes));
  log_event({{"event", "model_switched"}, {"model", spec.name}, {"version", m->info().version},
             {"previous", old ? old->info().version : ""}});
  slot.model = std::move(m);
  slot.spec = spec;
  slot.key = budget_key(spec);
  loaded_cv_.notify_all();
  release_retired_locked();
}

void EngineBackend::release_retired_locked() const {
  for (const auto& e : budget_.snapshot()) {
    if (retired_.count(e.name) && e.in_use == 0) {
      budget_.release(e.name);
      retired_.erase(e.name);
    }
  }
}

std::shared_ptr<ModelBackend> EngineBackend::lease(const Slot& slot) const {
  auto l = std::make_shared<Lease>(slot.model, budget_, slot.key, parking_);
  return std::shared_ptr<ModelBackend>(l, l->model.get());
}

std::shared_ptr<EngineModel> EngineBackend::unload_locked(Slot& slot) const {
  auto m = std::move(slot.model);
  slot.model = nullptr;
  budget_.release(slot.key);
  if (m && metrics_) metrics_->model_bytes.remove({slot.spec.name, m->info().version});
  return m;
}

void EngineBackend::wait_loaded() {
  if (loader_.joinable()) loader_.join();
}

void EngineBackend::load_all() {
  for (const auto& spec : specs_) {
    if (spec.lazy) continue;
    std::unique_lock lock(mu_);
    status_ = "loading and warming up model '" + spec.name + "'";
    Slot& slot = slots_.at(spec.name);
    load_slot(slot, lock);
    budget_.unacquire(slot.key);  // loaded for no request in particular
  }
  std::lock_guard lock(mu_);
  status_.clear();
}

void EngineBackend::start_loading(std::function<void(const std::string&)> on_error) {
  loader_ = std::thread([this, on_error = std::move(on_error)] {
    try {
      load_all();
    } catch (const std::exception& e) {
      {
        std::lock_guard lock(mu_);
        status_ = std::string("loading failed: ") + e.what();
      }
      on_error(e.what());
    }
  });
}

std::shared_ptr<ModelBackend> EngineBackend::peek(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = slots_.find(name);
  return it == slots_.end() ? nullptr : it->second.model;
}

std::optional<ModelInfo> EngineBackend::describe(const std::string& name) const {
  ModelSpec spec;
  {
    std::lock_guard lock(mu_);
    auto it = slots_.find(name);
    if (it == slots_.end()) return std::nullopt;
    if (it->second.model) return it->second.model->info();
    if (!it->second.spec.lazy) return std::nullopt;  // eager models come from the start-up loader
    spec = it->second.spec;
  }
  try {
    return describe_unloaded(spec, opts_);
  } catch (const std::exception& e) {
    throw ApiError(500, "server_error", "Cannot read the file of model '" + name + "': " + e.what());
  }
}

std::vector<std::string> EngineBackend::model_names() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& spec : specs_) {
    const Slot& s = slots_.at(spec.name);
    if (s.model || spec.lazy) out.push_back(spec.name);
  }
  return out;
}

std::shared_ptr<ModelBackend> EngineBackend::find(const std::string& name) const {
  std::unique_lock lock(mu_);
  auto it = slots_.find(name);
  if (it == slots_.end()) return nullptr;
  Slot& slot = it->second;
  while (!slot.model) {
    if (!slot.spec.lazy) return nullptr;  // eager models come from the start-up loader
    if (slot.loading) {
      loaded_cv_.wait(lock, [&] { return !slot.loading; });
      continue;  // loaded, or that load failed and this request tries again
    }
    load_slot(slot, lock);
    return lease(slot);  // the load already counted this request as in use
  }
  budget_.acquire(slot.key);
  return lease(slot);
}

Readiness EngineBackend::readiness() const {
  std::lock_guard lock(mu_);
  if (status_.empty()) return {true, ""};
  return {false, status_};
}

std::vector<LoadedModel> EngineBackend::loaded_models() const {
  std::lock_guard lock(mu_);
  std::vector<LoadedModel> out;
  for (const auto& e : budget_.snapshot()) {
    const Slot* slot = slot_by_key(e.name);
    if (!slot) continue;  // still loading, or replaced and finishing its last requests
    LoadedModel lm{slot->model, e.cost_bytes, e.pinned, e.in_use, std::nullopt};
    if (!e.pinned && opts_.keep_alive.count() >= 0) {
      auto idle = e.in_use > 0 ? std::chrono::steady_clock::duration::zero()
                               : std::chrono::steady_clock::now() - e.last_used;
      lm.expires_at = std::chrono::system_clock::now() +
                      std::chrono::duration_cast<std::chrono::system_clock::duration>(opts_.keep_alive - idle);
    }
    out.push_back(std::move(lm));
  }
  return out;
}

void ModelParking::lease_out() {
  std::lock_guard lock(mu_);
  out_++;
}

void ModelParking::park(std::shared_ptr<EngineModel> m) {
  std::lock_guard lock(mu_);
  parked_.push_back(std::move(m));
  out_--;
  parked_cv_.notify_all();  // under the lock: the waiter may destroy this object once it has it
}

void ModelParking::wait_all_parked() {
  std::unique_lock lock(mu_);
  parked_cv_.wait(lock, [this] { return out_ == 0; });
}

void ModelParking::clear() {
  std::vector<std::shared_ptr<EngineModel>> drop;
  {
    std::lock_guard lock(mu_);
    drop.swap(parked_);
  }
}

void EngineBackend::unload_expired() {
  parking_.clear();  // this thread is no model's scheduler thread
  std::vector<std::shared_ptr<EngineModel>> victims;  // destroyed after the lock is released
  std::lock_guard lock(mu_);
  release_retired_locked();
  if (opts_.keep_alive.count() < 0) return;
  for (const auto& key : budget_.expired(opts_.keep_alive)) {
    Slot* slot = slot_by_key(key);
    if (!slot) continue;
    log_event({{"event", "model_unloaded"}, {"model", key}, {"reason", "keep-alive expired"}});
    victims.push_back(unload_locked(*slot));
  }
}

void EngineBackend::reap_loop() {
  const auto interval = reap_interval(opts_.keep_alive);
  std::unique_lock lock(reap_mu_);
  while (!reap_cv_.wait_for(lock, interval, [this] { return stopping_.load(); })) {
    lock.unlock();
    unload_expired();
    lock.lock();
  }
}

void EngineBackend::drain(double deadline_seconds) {
  std::vector<std::shared_ptr<EngineModel>> models;
  {
    std::lock_guard lock(mu_);
    for (auto& [n, s] : slots_) {
      if (s.model) models.push_back(s.model);
    }
  }
  std::vector<std::thread> ts;
  for (auto& m : models) ts.emplace_back([m, deadline_seconds] { m->drain(deadline_seconds); });
  for (auto& t : ts) t.join();
}

}  // namespace cellar::server
