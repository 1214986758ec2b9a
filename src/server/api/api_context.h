#pragma once
// What every API route needs: the served models, metrics and request limits.
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "guard/policy.h"
#include "server/api/json_fields.h"
#include "server/backend.h"
#include "server/http/request_context.h"
#include "server/server_metrics.h"

namespace httplib {
struct Response;
}

namespace cellar::server {

struct ApiLimits {
  int max_tokens_cap = 0;          // 0 = the model's context
  size_t max_stop = 4;             // stop sequences per request (OpenAI's limit)
  size_t max_stop_bytes = 256;
  size_t max_logit_bias = 300;     // entries
  size_t max_messages = 1024;
  size_t max_embed_inputs = 256;
  double timeout_seconds = 300;    // per generation; 0 = none
};

struct ApiContext {
  InferenceBackend& backend;
  ServerMetrics& metrics;
  ApiLimits limits;
  std::string version;             // server version for /api/version, system_fingerprint
  bool log_prompts = false;
  guard::GuardPolicy guard;        // injection check and PII redaction of every request's input
  std::map<std::string, guard::GuardPolicy> deployment_guard;  // a deployment's own policy, by model name
};

// The policy for a served model: its deployment's, else the server-wide one.
const guard::GuardPolicy& guard_policy_for(const ApiContext& api, const std::string& model);

// The model named in a request; 404 model_not_found if not served (an Ollama
// style ":latest" suffix is accepted for a name served without a tag), 403 if
// the caller's key may not use it. Sets ctx.model.
std::shared_ptr<ModelBackend> resolve_model(const ApiContext& api, RequestContext& ctx, const std::string& name);

// resolve_model for routes that only describe the model: never loads it.
ModelInfo resolve_model_info(const ApiContext& api, RequestContext& ctx, const std::string& name);

// Sets req.max_tokens: the requested value, or `default_max` (0 = the rest of the
// context). 400 with the limits when the prompt does not fit or prompt +
// max_tokens exceeds the context; never truncates.
void fit_to_context(const ApiContext& api, const ModelInfo& info, size_t prompt_tokens,
                    std::optional<int64_t> max_tokens, int default_max, engine::GenerationRequest& req);

// logit_bias keys must be token ids of this model.
void check_logit_bias(const SamplingParams& p, int n_vocab);

// X-Cellar-Model-Version / X-Cellar-Template-Version.
void set_model_headers(httplib::Response& res, const ModelInfo& info);

// Puts the model's default system prompt first when the chat has no system message.
void add_default_system(const ModelInfo& info, OrderedJson& messages);

// Fills the log context from a finished generation.
void record_result(RequestContext& ctx, const engine::GenerationResult& r);

// Model::embed with engine errors mapped to 400 / 429.
std::vector<std::vector<float>> embed_inputs(ModelBackend& model, const std::vector<std::string>& inputs,
                                             int* n_tokens);

// "stop", "length", "cancelled", "timeout", "error".
const char* finish_reason_text(engine::FinishReason r);

// A random id with the given prefix ("chatcmpl-", "cmpl-").
std::string random_id(const std::string& prefix);

// Seconds since the Unix epoch.
int64_t unix_time();

}  // namespace cellar::server
