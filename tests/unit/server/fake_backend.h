#pragma once
// A deterministic stand-in for the engine so the HTTP layer can be tested
// without a model: one token per prompt byte (plus BOS), and generation emits
// "w0 ", "w1 ", ... one token per `token_delay`, honouring max_tokens, stop
// strings, cancellation, timeouts, a slot limit and a bounded queue.
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "server/api_error.h"
#include "server/backend.h"

namespace cellar::server::test {

struct FakeModelOptions {
  std::string name = "fake";
  std::string system_prompt = "";  // a deployment template's system prompt
  nlohmann::json parameters = nlohmann::json::object();  // a deployment's default sampling parameters
  int n_ctx = 128;
  int n_slots = 2;
  int max_queue = 2;
  int eos_after = -1;  // stop (end of text) after this many tokens; -1 never
  std::chrono::milliseconds token_delay{1};
  std::vector<std::string> script = {};  // pieces to generate instead of "w0 w1 ...", then stop
};

class FakeModel : public ModelBackend {
 public:
  explicit FakeModel(FakeModelOptions o) : o_(std::move(o)) {
    info_.name = o_.name;
    info_.path = "/models/" + o_.name + ".gguf";
    info_.version = o_.name + ".gguf";
    info_.template_version = "builtin";
    info_.arch = "llama";
    info_.quantization = "Q8_0";
    info_.chat_template = "{{ messages }}";
    info_.system_prompt = o_.system_prompt;
    info_.n_params = 260000;
    info_.weight_bytes = 1000;
    info_.file_bytes = 2000;
    info_.n_ctx = o_.n_ctx;
    info_.n_ctx_train = o_.n_ctx;
    info_.n_vocab = 100;
    info_.n_embd = 8;
    info_.n_slots = o_.n_slots;
    info_.loaded_at = std::chrono::system_clock::now();
    info_.modified_at = info_.loaded_at;
  }
  ~FakeModel() override {
    {
      std::lock_guard lock(mu_);
      for (auto& [id, c] : cancelled_) c = true;
    }
    for (auto& t : threads_) t.join();
  }

  const ModelInfo& info() const override { return info_; }
  nlohmann::json default_parameters() const override { return o_.parameters; }
  PromptTokens tokenize(const std::string& text) const override {
    PromptTokens p;
    p.ids.push_back(1);
    for (unsigned char c : text) p.ids.push_back(c % 100);
    return p;
  }
  PromptTokens tokenize_chat(const nlohmann::ordered_json& messages) const override {
    std::string s;
    for (const auto& m : messages) s += m["role"].get<std::string>() + ": " + m["content"].get<std::string>() + "\n";
    return tokenize(s + "assistant: ");
  }

  uint64_t submit(engine::GenerationRequest req) override {
    std::unique_lock lock(mu_);
    if (draining_) throw engine::QueueFullError("draining");
    if (running_ + waiting_ >= o_.n_slots + o_.max_queue) throw engine::QueueFullError("queue full");
    if (req.max_tokens < 1) throw engine::RequestError("max_tokens must be >= 1");
    uint64_t id = ++next_id_;
    cancelled_[id] = false;
    waiting_++;
    submitted_++;
    last_request_ = req;
    threads_.emplace_back([this, id, req = std::move(req)]() mutable { run(id, std::move(req)); });
    return id;
  }
  void cancel(uint64_t id) override {
    std::lock_guard lock(mu_);
    if (cancelled_.count(id)) cancelled_[id] = true;
    cancel_calls_++;
  }
  std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs, int* n_tokens) override {
    std::vector<std::vector<float>> out;
    *n_tokens = 0;
    for (const auto& s : inputs) {
      *n_tokens += static_cast<int>(tokenize(s).ids.size());
      out.push_back({0.6f, 0.8f});
    }
    return out;
  }
  engine::SchedulerStats stats() const override {
    std::lock_guard lock(mu_);
    engine::SchedulerStats s;
    s.running = running_;
    s.waiting = waiting_;
    s.n_slots = o_.n_slots;
    s.kv_usage = running_ / static_cast<double>(o_.n_slots);
    return s;
  }
  void drain(double deadline) {
    std::unique_lock lock(mu_);
    draining_ = true;
    cv_.wait_for(lock, std::chrono::duration<double>(deadline), [&] { return running_ + waiting_ == 0; });
  }

  int cancel_calls() const { std::lock_guard lock(mu_); return cancel_calls_; }
  int finished_cancelled() const { std::lock_guard lock(mu_); return finished_cancelled_; }
  int submitted() const { std::lock_guard lock(mu_); return submitted_; }
  int active() const { std::lock_guard lock(mu_); return running_ + waiting_; }
  engine::GenerationRequest last_request() const { std::lock_guard lock(mu_); return last_request_; }

 private:
  void run(uint64_t id, engine::GenerationRequest req) {
    auto start = std::chrono::steady_clock::now();
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return running_ < o_.n_slots || cancelled_[id]; });
      waiting_--;
      running_++;
    }
    engine::GenerationResult r;
    r.prompt_tokens = static_cast<int>(req.prompt.size());
    r.queue_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.reason = engine::FinishReason::kLength;
    std::string text;
    for (int i = 0; i < req.max_tokens; ++i) {
      std::this_thread::sleep_for(o_.token_delay);
      bool cancelled;
      {
        std::lock_guard lock(mu_);
        cancelled = cancelled_[id];
      }
      double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (cancelled) { r.reason = engine::FinishReason::kCancelled; break; }
      if (req.timeout_seconds > 0 && elapsed > req.timeout_seconds) { r.reason = engine::FinishReason::kTimeout; break; }
      if (o_.eos_after >= 0 && i >= o_.eos_after) { r.reason = engine::FinishReason::kStop; break; }
      if (!o_.script.empty() && i >= static_cast<int>(o_.script.size())) { r.reason = engine::FinishReason::kStop; break; }
      std::string piece = o_.script.empty() ? "w" + std::to_string(i) + " " : o_.script[static_cast<size_t>(i)];
      bool stopped = false;
      for (const auto& s : req.stop) {
        auto pos = (text + piece).find(s);
        if (pos != std::string::npos) {
          piece = (text + piece).substr(text.size(), pos > text.size() ? pos - text.size() : 0);
          stopped = true;
        }
      }
      text += piece;
      r.completion_tokens++;
      if (r.completion_tokens == 1) r.ttft_seconds = elapsed;
      if (!req.on_token({i, piece})) { r.reason = engine::FinishReason::kCancelled; break; }
      if (stopped) { r.reason = engine::FinishReason::kStop; break; }
    }
    r.total_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.eval_seconds = r.total_seconds - r.queue_seconds;
    req.on_done(r);
    std::lock_guard lock(mu_);
    running_--;
    if (r.reason == engine::FinishReason::kCancelled) finished_cancelled_++;
    cancelled_.erase(id);
    cv_.notify_all();
  }

  FakeModelOptions o_;
  ModelInfo info_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::thread> threads_;
  std::map<uint64_t, bool> cancelled_;
  uint64_t next_id_ = 0;
  int running_ = 0, waiting_ = 0, submitted_ = 0, cancel_calls_ = 0, finished_cancelled_ = 0;
  bool draining_ = false;
  engine::GenerationRequest last_request_;
};

class FakeBackend : public InferenceBackend {
 public:
  void add(std::shared_ptr<FakeModel> m) { models_[m->info().name] = std::move(m); }
  std::vector<std::string> model_names() const override {
    std::vector<std::string> out;
    for (const auto& [n, m] : models_) out.push_back(n);
    return out;
  }
  std::shared_ptr<ModelBackend> find(const std::string& name) const override {
    auto it = models_.find(name);
    return it == models_.end() ? nullptr : it->second;
  }
  Readiness readiness() const override { return ready_ ? Readiness{true, ""} : Readiness{false, "warming up 'fake'"}; }
  void drain(double deadline) override {
    for (auto& [n, m] : models_) m->drain(deadline);
  }
  void set_ready(bool r) { ready_ = r; }

 private:
  std::map<std::string, std::shared_ptr<FakeModel>> models_;
  std::atomic<bool> ready_{true};
};

}  // namespace cellar::server::test
