#pragma once
// What the HTTP layer needs from the engine, as an interface: the real
// adapter (engine_backend.h: Scheduler + Tokenizer + ChatTemplate) implements
// it, and tests implement it with a deterministic double so routes, streaming
// and errors can be exercised without a model.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/generation.h"
#include "engine/scheduler.h"

namespace cellar::server {

struct ModelInfo {
  std::string name;              // as served (--model NAME=FILE)
  std::string path;              // GGUF file
  std::string version;           // X-Cellar-Model-Version
  std::string template_version;  // X-Cellar-Template-Version
  std::string arch;              // "llama"
  std::string quantization;      // "Q4_0", "F32", ...
  std::string chat_template;     // Jinja source in use
  std::string system_prompt;     // the deployment template's; sent when a chat brings no system message
  uint64_t n_params = 0;
  uint64_t weight_bytes = 0;
  uint64_t file_bytes = 0;
  int n_ctx = 0;                 // context per sequence slot
  int n_ctx_train = 0;
  int n_vocab = 0;
  int n_embd = 0;
  int n_slots = 0;
  std::chrono::system_clock::time_point loaded_at;
  std::chrono::system_clock::time_point modified_at;  // file mtime
};

struct PromptTokens {
  std::vector<int32_t> ids;  // [n_tokens], BOS included where the model wants it
};

// One served model. All methods are called from many HTTP threads at once.
class ModelBackend {
 public:
  virtual ~ModelBackend() = default;
  virtual const ModelInfo& info() const = 0;
  // Plain text prompt -> tokens (BOS added if the model wants it; special tokens not parsed,
  // so user text cannot forge control tokens).
  virtual PromptTokens tokenize(const std::string& text) const = 0;
  // Chat messages ([{role, content}]) -> rendered with the chat template and tokenized.
  // Throws ApiError (400) when the template rejects the conversation.
  virtual PromptTokens tokenize_chat(const nlohmann::ordered_json& messages) const = 0;
  // engine::Scheduler::submit semantics: RequestError, QueueFullError.
  virtual uint64_t submit(engine::GenerationRequest req) = 0;
  virtual void cancel(uint64_t id) = 0;
  // One L2-normalised vector per input; *n_tokens gets the total tokens processed.
  virtual std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs, int* n_tokens) = 0;
  virtual engine::SchedulerStats stats() const = 0;
  // The deployment's default sampling parameters (registry/sampling_params.h
  // names: temperature, top_p, max_tokens, stop, ...) for the fields a request
  // leaves unset (server/api/default_params.h). A copy: a redeploy may change them.
  virtual nlohmann::json default_parameters() const { return nlohmann::json::object(); }
};

struct Readiness {
  bool ready = false;
  std::string reason;  // why not ready ("loading model 'x'", "warming up 'x'")
};

// A loaded model as /api/ps shows it.
struct LoadedModel {
  std::shared_ptr<ModelBackend> model;
  uint64_t cost_bytes = 0;  // what it counts against the memory budget (mapped file + KV cache)
  bool pinned = false;
  int in_use = 0;           // requests running on it
  std::optional<std::chrono::system_clock::time_point> expires_at;  // nullopt: never unloaded
};

// The set of served models.
class InferenceBackend {
 public:
  virtual ~InferenceBackend() = default;
  // Models that can serve now or load on demand.
  virtual std::vector<std::string> model_names() const = 0;
  // For a request: nullptr if unknown / not ready. May load the model first
  // (and throw ApiError 503 when it cannot); the model stays loaded while
  // the returned pointer lives.
  virtual std::shared_ptr<ModelBackend> find(const std::string& name) const = 0;
  // The model if it is loaded now; never loads, never counts as use (listings, metrics).
  virtual std::shared_ptr<ModelBackend> peek(const std::string& name) const { return find(name); }
  // What a model is, for routes that only describe it (/v1/models/{name},
  // /api/show): never loads it; a model that loads on demand is described
  // from its file's header. nullopt: unknown, or not ready.
  virtual std::optional<ModelInfo> describe(const std::string& name) const {
    auto m = peek(name);
    return m ? std::optional<ModelInfo>(m->info()) : std::nullopt;
  }
  virtual std::vector<LoadedModel> loaded_models() const {
    std::vector<LoadedModel> out;
    for (const auto& name : model_names()) {
      if (auto m = peek(name)) out.push_back({m, m->info().weight_bytes, true, 0, std::nullopt});
    }
    return out;
  }
  virtual Readiness readiness() const = 0;
  // Stop taking requests; let running ones finish up to the deadline.
  virtual void drain(double deadline_seconds) = 0;
};

}  // namespace cellar::server
