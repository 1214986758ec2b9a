#include "server/api/api_context.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "server/api_error.h"

namespace cellar::server {

const guard::GuardPolicy& guard_policy_for(const ApiContext& api, const std::string& model) {
  auto it = api.deployment_guard.find(model);
  return it == api.deployment_guard.end() ? api.guard : it->second;
}

namespace {

// `find(name)`, also for an Ollama-style "NAME:latest" served as NAME; 503
// while the server is not ready, else 404 when nothing is found.
template <class Find>
auto lookup(const ApiContext& api, const std::string& name, Find find) {
  auto m = find(name);
  const std::string kLatest = ":latest";
  if (!m && name.size() > kLatest.size() && name.ends_with(kLatest)) {
    m = find(name.substr(0, name.size() - kLatest.size()));
  }
  if (!m) {
    Readiness r = api.backend.readiness();
    if (!r.ready) {
      ApiError e(503, "server_error", "The server is not ready yet (" + r.reason + "); retry shortly.");
      e.retry_after_seconds = 2;
      throw e;
    }
    throw model_not_found(name);
  }
  return m;
}

// 403 if the caller's key may not use the model; else records it in the log context.
void admit(RequestContext& ctx, const ModelInfo& info, const std::string& name) {
  const auto& allowed = ctx.allowed_models;
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), info.name) == allowed.end()) {
    throw ApiError(403, "permission_error", "This API key may not use the model '" + name + "'.", "model",
                   "model_not_allowed");
  }
  ctx.model = info.name;
  ctx.model_version = info.version;
  ctx.template_version = info.template_version;
}

}  // namespace

std::shared_ptr<ModelBackend> resolve_model(const ApiContext& api, RequestContext& ctx, const std::string& name) {
  auto m = lookup(api, name, [&api](const std::string& n) { return api.backend.find(n); });
  admit(ctx, m->info(), name);
  return m;
}

ModelInfo resolve_model_info(const ApiContext& api, RequestContext& ctx, const std::string& name) {
  auto info = lookup(api, name, [&api](const std::string& n) { return api.backend.describe(n); });
  admit(ctx, *info, name);
  return *info;
}

void fit_to_context(const ApiContext& api, const ModelInfo& info, size_t prompt_tokens,
                    std::optional<int64_t> max_tokens, int default_max, engine::GenerationRequest& req) {
  const int64_t n_ctx = info.n_ctx;
  const int64_t n_prompt = static_cast<int64_t>(prompt_tokens);
  if (n_prompt >= n_ctx) {
    throw invalid_request("This model's maximum context length is " + std::to_string(n_ctx) +
                              " tokens. However, your prompt is " + std::to_string(n_prompt) +
                              " tokens, leaving no room for a completion. Shorten the prompt.", "messages");
  }
  const int64_t cap = api.limits.max_tokens_cap > 0 ? std::min<int64_t>(api.limits.max_tokens_cap, n_ctx) : n_ctx;
  if (max_tokens) {
    if (*max_tokens > cap && cap < n_ctx) {
      throw invalid_request("max_tokens is " + std::to_string(*max_tokens) + " but this server allows at most " +
                                std::to_string(cap) + " tokens per completion.", "max_tokens");
    }
    if (n_prompt + *max_tokens > n_ctx) {
      throw invalid_request("This model's maximum context length is " + std::to_string(n_ctx) +
                                " tokens. However, you requested " + std::to_string(n_prompt + *max_tokens) +
                                " tokens (" + std::to_string(n_prompt) + " in the prompt, " +
                                std::to_string(*max_tokens) + " in the completion). Reduce the prompt or max_tokens.",
                            "max_tokens");
    }
    req.max_tokens = static_cast<int>(*max_tokens);
    return;
  }
  int64_t room = std::min(n_ctx - n_prompt, cap);
  req.max_tokens = static_cast<int>(default_max > 0 ? std::min<int64_t>(default_max, room) : room);
}

void check_logit_bias(const SamplingParams& p, int n_vocab) {
  for (const auto& [token, bias] : p.logit_bias) {
    if (token < 0 || token >= n_vocab) {
      throw invalid_request("logit_bias token id " + std::to_string(token) + " is outside this model's vocabulary "
                                "(0 to " + std::to_string(n_vocab - 1) + ").", "logit_bias");
    }
  }
}

void set_model_headers(httplib::Response& res, const ModelInfo& info) {
  res.set_header("X-Cellar-Model-Version", info.version);
  res.set_header("X-Cellar-Template-Version", info.template_version);
}

void add_default_system(const ModelInfo& info, OrderedJson& messages) {
  if (info.system_prompt.empty()) return;
  for (const auto& m : messages) {
    if (m.value("role", "") == "system") return;
  }
  messages.insert(messages.begin(), OrderedJson{{"role", "system"}, {"content", info.system_prompt}});
}

void record_result(RequestContext& ctx, const engine::GenerationResult& r) {
  ctx.prompt_tokens = r.prompt_tokens;
  ctx.cached_tokens = r.cached_tokens;
  ctx.completion_tokens = r.completion_tokens;
  ctx.queue_seconds = r.queue_seconds;
  if (r.completion_tokens > 0) ctx.ttft_seconds = r.ttft_seconds;
  ctx.finish_reason = finish_reason_text(r.reason);
}

std::vector<std::vector<float>> embed_inputs(ModelBackend& model, const std::vector<std::string>& inputs,
                                             int* n_tokens) {
  try {
    return model.embed(inputs, n_tokens);
  } catch (const engine::RequestError& e) {
    throw invalid_request(e.what(), "input");
  } catch (const engine::QueueFullError& e) {
    ApiError err(429, "rate_limit_exceeded", std::string("The server is at capacity: ") + e.what(), {},
                 "rate_limit_exceeded");
    err.retry_after_seconds = 1;
    throw err;
  }
}

const char* finish_reason_text(engine::FinishReason r) {
  switch (r) {
    case engine::FinishReason::kStop: return "stop";
    case engine::FinishReason::kLength: return "length";
    case engine::FinishReason::kCancelled: return "cancelled";
    case engine::FinishReason::kTimeout: return "timeout";
    case engine::FinishReason::kError: return "error";
  }
  return "error";
}

std::string random_id(const std::string& prefix) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char kHex[] = "0123456789abcdef";
  std::string id = prefix;
  for (int i = 0; i < 24; ++i) id += kHex[rng() % 16];
  return id;
}

int64_t unix_time() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace cellar::server
