#pragma once
// The real InferenceBackend: each served model is a GGUF file loaded into a
// Model, its Tokenizer and chat template, and a continuous-batching
// Scheduler. Models load and warm up (one short forward pass) on a background
// thread so /health answers at once and /ready turns 200 when all are warm.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/backend.h"
#include "server/server_metrics.h"

namespace cellar {
class Model;
class Tokenizer;
}  // namespace cellar

namespace cellar::server {

struct ModelSpec {
  std::string name;
  std::string path;
  std::string chat_template_file;  // overrides the GGUF's tokenizer.chat_template
  std::string version;             // X-Cellar-Model-Version ("NAME:N" for a deployment); empty: the file name
  std::string template_version;    // X-Cellar-Template-Version; empty: where the template came from
  std::string system_prompt;       // a deployment template's default system message
};

struct EngineOptions {
  int n_ctx = 2048;      // per slot; clamped to the model's trained context
  int n_slots = 4;
  int n_threads = 0;
  int max_queue = 64;
};

class EngineModel;

class EngineBackend : public InferenceBackend {
 public:
  // Load and warm-up times and model sizes go to `metrics` when given.
  EngineBackend(std::vector<ModelSpec> specs, EngineOptions opts, ServerMetrics* metrics = nullptr);
  void set_metrics(ServerMetrics* metrics) { metrics_ = metrics; }
  ~EngineBackend() override;

  // Loads and warms every model on a background thread; `on_error` gets a
  // message when one fails (the process should then exit non-zero).
  void start_loading(std::function<void(const std::string&)> on_error);
  // Waits for the background loader to finish (successfully or not).
  void wait_loaded();
  // Loads and warms in the calling thread (tests, CLI checks); throws on failure.
  void load_all();

  std::vector<std::string> model_names() const override;
  std::shared_ptr<ModelBackend> find(const std::string& name) const override;
  Readiness readiness() const override;
  void drain(double deadline_seconds) override;

 private:
  void load_one(const ModelSpec& spec);

  std::vector<ModelSpec> specs_;
  EngineOptions opts_;
  ServerMetrics* metrics_;
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<EngineModel>> ready_;
  std::string status_;  // what is happening while not ready
  std::thread loader_;
};

// Loads one model; exposed for tests and the warm-up timing.
std::shared_ptr<EngineModel> load_engine_model(const ModelSpec& spec, const EngineOptions& opts,
                                               double* load_seconds, double* warmup_seconds);

}  // namespace cellar::server
