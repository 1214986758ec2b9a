#include "server/api/openai_api.h"

#include <httplib.h>

#include <cstring>

#include "server/api/default_params.h"
#include "server/api/openai_request.h"
#include "server/api/prompt_guard.h"
#include "server/api/streaming.h"
#include "server/api_error.h"

namespace cellar::server {
namespace {

enum class Kind { kChat, kCompletion };

struct Envelope {
  Kind kind;
  std::string id;
  int64_t created;
  std::string model;
  std::string fingerprint;
};

OrderedJson base(const Envelope& e, bool chunk) {
  const char* object = e.kind == Kind::kChat ? (chunk ? "chat.completion.chunk" : "chat.completion")
                                             : "text_completion";
  return {{"id", e.id}, {"object", object}, {"created", e.created}, {"model", e.model},
          {"system_fingerprint", e.fingerprint}};
}

OrderedJson usage_json(const engine::GenerationResult& r) {
  return {{"prompt_tokens", r.prompt_tokens},
          {"completion_tokens", r.completion_tokens},
          {"total_tokens", r.prompt_tokens + r.completion_tokens},
          {"prompt_tokens_details", {{"cached_tokens", r.cached_tokens}}}};
}

// Timeouts and engine errors end a request that has started; OpenAI reports
// them in the error shape (SDKs raise them from a stream as well).
ApiError failure(const engine::GenerationResult& r, double timeout) {
  if (r.reason == engine::FinishReason::kTimeout) {
    return ApiError(504, "timeout_error", "The request exceeded the server's per-request timeout of " +
                                              std::to_string(static_cast<int>(timeout)) + " seconds.");
  }
  if (r.reason == engine::FinishReason::kCancelled) {
    ApiError e(503, "server_error", "The request was cancelled because the server is shutting down.");
    e.retry_after_seconds = 5;
    return e;
  }
  return ApiError(500, "server_error", "Generation failed: " + r.error);
}

bool failed(const engine::GenerationResult& r) {
  return r.reason != engine::FinishReason::kStop && r.reason != engine::FinishReason::kLength;
}

class SseFormatter : public StreamFormatter {
 public:
  SseFormatter(Envelope env, bool include_usage, double timeout)
      : env_(std::move(env)), include_usage_(include_usage), timeout_(timeout) {}

  std::string begin() override {
    if (env_.kind != Kind::kChat) return {};
    return event(choice({{"role", "assistant"}, {"content", ""}}, nullptr));
  }
  std::string text(const std::string& delta) override {
    if (env_.kind == Kind::kChat) return event(choice({{"content", delta}}, nullptr));
    return event(choice(delta, nullptr));
  }
  std::string end(const engine::GenerationResult& r) override {
    std::string out;
    if (failed(r)) {
      ApiError e = failure(r, timeout_);
      OrderedJson err = {{"error", {{"message", e.what()}, {"type", e.type()}, {"param", nullptr}, {"code", nullptr}}}};
      out += "data: " + err.dump(-1, ' ', false, OrderedJson::error_handler_t::replace) + "\n\n";
    } else {
      const char* reason = finish_reason_text(r.reason);
      out += event(env_.kind == Kind::kChat ? choice(OrderedJson::object(), reason) : choice("", reason));
      if (include_usage_) {
        OrderedJson u = base(env_, true);
        u["choices"] = OrderedJson::array();
        u["usage"] = usage_json(r);
        out += "data: " + u.dump() + "\n\n";
      }
    }
    return out + "data: [DONE]\n\n";
  }

 private:
  // delta: an object for chat, the text for completions.
  OrderedJson choice(const OrderedJson& delta, const char* finish_reason) {
    OrderedJson c = {{"index", 0}};
    if (env_.kind == Kind::kChat) c["delta"] = delta;
    else c["text"] = delta;
    c["logprobs"] = nullptr;
    c["finish_reason"] = finish_reason ? OrderedJson(finish_reason) : OrderedJson(nullptr);
    return c;
  }
  std::string event(OrderedJson choice_obj) {
    OrderedJson j = base(env_, true);
    j["choices"] = OrderedJson::array({std::move(choice_obj)});
    if (include_usage_) j["usage"] = nullptr;
    return "data: " + j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace) + "\n\n";
  }

  Envelope env_;
  bool include_usage_;
  double timeout_;
};

OrderedJson full_response(const Envelope& env, const std::string& text, const engine::GenerationResult& r) {
  OrderedJson j = base(env, false);
  OrderedJson c = {{"index", 0}};
  if (env.kind == Kind::kChat) {
    c["message"] = {{"role", "assistant"}, {"content", text}, {"refusal", nullptr}};
  } else {
    c["text"] = text;
  }
  c["logprobs"] = nullptr;
  c["finish_reason"] = finish_reason_text(r.reason);
  j["choices"] = OrderedJson::array({c});
  j["usage"] = usage_json(r);
  return j;
}

void handle_generation(Kind kind, ApiContext& api, const httplib::Request& req, httplib::Response& res,
                       RequestContext& ctx) {
  Json body = parse_json_body(req.body);
  OpenAiParams p = parse_openai_params(body, api.limits);
  OrderedJson messages;
  std::string prompt_text;
  if (kind == Kind::kChat) messages = parse_chat_messages(body, api.limits);
  else prompt_text = parse_completion_prompt(body);

  auto model = resolve_model(api, ctx, p.model);
  const ModelInfo& info = model->info();
  ctx.stream = p.stream;
  // OpenAI's legacy completions default to 16 tokens; chat defaults to the rest of the context.
  int default_max = kind == Kind::kChat ? 0 : 16;
  apply_default_params(model->default_parameters(), [&body](const std::string& name) {
    JsonFields f(body);
    return f.get(name) != nullptr || (name == "max_tokens" && f.get("max_completion_tokens") != nullptr);
  }, p.req, default_max);
  check_logit_bias(p.req.sampling, info.n_vocab);
  if (kind == Kind::kChat) add_default_system(info, messages);
  if (kind == Kind::kChat) guard_messages(api, ctx, res, messages);
  else guard_prompt(api, ctx, res, prompt_text);
  PromptTokens prompt = kind == Kind::kChat ? model->tokenize_chat(messages) : model->tokenize(prompt_text);
  if (api.log_prompts) ctx.prompt = kind == Kind::kChat ? messages.dump() : prompt_text;
  fit_to_context(api, info, prompt.ids.size(), p.max_tokens, default_max, p.req);
  p.req.prompt = std::move(prompt.ids);
  p.req.timeout_seconds = api.limits.timeout_seconds;

  auto session = GenerationSession::start(model, std::move(p.req), api.metrics);
  set_model_headers(res, info);
  Envelope env{kind, random_id(kind == Kind::kChat ? "chatcmpl-" : "cmpl-"), unix_time(), p.model,
               "fp_cellar_" + api.version};
  if (p.stream) {
    auto fmt = std::make_shared<SseFormatter>(env, p.include_usage, api.limits.timeout_seconds);
    stream_generation(res, "text/event-stream", session, fmt, ctx, api.log_prompts, OutputGuard::make(api, info));
    return;
  }
  std::string text = session->wait_all();
  const auto& r = session->result();
  record_result(ctx, r);
  if (failed(r)) throw failure(r, api.limits.timeout_seconds);
  text = guard_output(api, ctx, info, std::move(text));
  if (api.log_prompts) ctx.completion = text;
  res.set_content(full_response(env, text, r).dump(-1, ' ', false, OrderedJson::error_handler_t::replace),
                  "application/json");
}

// OpenAI's base64 embedding encoding: the little-endian float32 bytes, base64.
std::string base64_floats(const std::vector<float>& v) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string bytes(v.size() * sizeof(float), '\0');
  std::memcpy(bytes.data(), v.data(), bytes.size());  // x86-64 is little-endian
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

void handle_embeddings(ApiContext& api, const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  Json body = parse_json_body(req.body);
  std::string name = required_model(body);
  auto inputs = parse_embedding_input(body, "input", api.limits.max_embed_inputs);
  auto format = JsonFields(body).string("encoding_format", 16).value_or("float");
  if (format != "float" && format != "base64") {
    throw invalid_request("'encoding_format' must be 'float' or 'base64'.", "encoding_format");
  }
  auto model = resolve_model(api, ctx, name);
  int n_tokens = 0;
  std::vector<std::vector<float>> vectors;
  vectors = embed_inputs(*model, inputs, &n_tokens);
  ctx.prompt_tokens = n_tokens;
  api.metrics.prompt_tokens.with({ctx.model}).inc(n_tokens);
  OrderedJson data = OrderedJson::array();
  for (size_t i = 0; i < vectors.size(); ++i) {
    OrderedJson e = format == "base64" ? OrderedJson(base64_floats(vectors[i])) : OrderedJson(vectors[i]);
    data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", std::move(e)}});
  }
  OrderedJson j = {{"object", "list"}, {"data", data}, {"model", name},
                   {"usage", {{"prompt_tokens", n_tokens}, {"total_tokens", n_tokens}}}};
  set_model_headers(res, model->info());
  res.set_content(j.dump(), "application/json");
}

OrderedJson model_object(const ModelInfo& info) {
  auto created = std::chrono::duration_cast<std::chrono::seconds>(info.loaded_at.time_since_epoch()).count();
  return {{"id", info.name}, {"object", "model"}, {"created", created}, {"owned_by", "cellar"}};
}

void handle_models(ApiContext& api, httplib::Response& res) {
  OrderedJson data = OrderedJson::array();
  for (const auto& name : api.backend.model_names()) {
    // A model that loads on demand is listed without loading it.
    if (auto m = api.backend.peek(name)) data.push_back(model_object(m->info()));
    else data.push_back({{"id", name}, {"object", "model"}, {"created", 0}, {"owned_by", "cellar"}});
  }
  res.set_content(OrderedJson({{"object", "list"}, {"data", data}}).dump(), "application/json");
}

void handle_model(ApiContext& api, const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  std::string name = req.matches.size() > 1 ? req.matches[1].str() : "";
  if (!valid_model_name(name)) throw model_not_found(name);
  res.set_content(model_object(resolve_model_info(api, ctx, name)).dump(), "application/json");
}

}  // namespace

void register_openai_routes(HttpServer& http, ApiContext& api) {
  http.post("/v1/chat/completions", ErrorStyle::kOpenAi, [&api](auto& req, auto& res, auto& ctx) {
    handle_generation(Kind::kChat, api, req, res, ctx);
  });
  http.post("/v1/completions", ErrorStyle::kOpenAi, [&api](auto& req, auto& res, auto& ctx) {
    handle_generation(Kind::kCompletion, api, req, res, ctx);
  });
  http.post("/v1/embeddings", ErrorStyle::kOpenAi,
            [&api](auto& req, auto& res, auto& ctx) { handle_embeddings(api, req, res, ctx); });
  http.get("/v1/models", ErrorStyle::kOpenAi, [&api](auto&, auto& res, auto&) { handle_models(api, res); });
  http.get_pattern(R"(/v1/models/([^/]+))", "/v1/models/{model}", ErrorStyle::kOpenAi,
                   [&api](auto& req, auto& res, auto& ctx) { handle_model(api, req, res, ctx); });
}

}  // namespace cellar::server
