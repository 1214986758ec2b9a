// Ollama-compatible routes (https://github.com/ollama/ollama/blob/main/docs/api.md):
// POST /api/generate, POST /api/chat (NDJSON streaming by default),
// GET /api/tags, POST /api/show, GET /api/ps, GET /api/version,
// POST /api/embed and the older POST /api/embeddings. Errors use Ollama's
// {"error": "..."} shape, which its clients read.
#include <httplib.h>

#include <ctime>

#include "server/api/default_params.h"
#include "server/api/openai_request.h"
#include "server/api/prompt_guard.h"
#include "server/api/streaming.h"
#include "server/api_error.h"
#include "server/http/http_server.h"

namespace cellar::server {
namespace {

std::string rfc3339_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(us));
  return buf;
}

std::string rfc3339(std::chrono::system_clock::time_point tp) {
  std::time_t t = std::chrono::system_clock::to_time_t(tp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int64_t ns(double seconds) { return static_cast<int64_t>(seconds * 1e9); }

std::string tagged(const std::string& name) { return name.find(':') == std::string::npos ? name + ":latest" : name; }

std::string parameter_size(uint64_t n) {
  char buf[32];
  if (n >= 1000000000ULL) std::snprintf(buf, sizeof buf, "%.1fB", n / 1e9);
  else if (n >= 1000000ULL) std::snprintf(buf, sizeof buf, "%.1fM", n / 1e6);
  else std::snprintf(buf, sizeof buf, "%.0fK", n / 1e3);
  return buf;
}

OrderedJson details(const ModelInfo& info) {
  return {{"parent_model", ""},          {"format", "gguf"}, {"family", info.arch},
          {"families", {info.arch}},     {"parameter_size", parameter_size(info.n_params)},
          {"quantization_level", info.quantization}};
}

struct OllamaParams {
  std::string model;
  bool stream = true;
  std::optional<int64_t> num_predict;  // nullopt: until end of text or context
  engine::GenerationRequest req;
};

OllamaParams parse_ollama_params(const Json& body, const ApiLimits& limits) {
  OllamaParams p;
  p.model = required_model(body);
  JsonFields top(body);
  p.stream = top.boolean("stream").value_or(true);
  if (const Json* fmt = top.get("format"); fmt && !(fmt->is_string() && fmt->get<std::string>().empty())) {
    throw invalid_request("'format' (JSON mode / structured output) is not supported by this server.", "format");
  }
  if (const Json* img = top.get("images"); img && !(img->is_array() && img->empty())) {
    throw invalid_request("'images' are not supported: the served models are text-only.", "images");
  }
  if (const Json* tools = top.get("tools"); tools && !(tools->is_array() && tools->empty())) {
    throw invalid_request("'tools' are not supported by this server.", "tools");
  }
  const Json* opts = top.get("options");
  if (!opts) return p;
  if (!opts->is_object()) throw invalid_request("'options' must be an object.", "options");
  JsonFields o(*opts, "options.");
  auto& s = p.req.sampling;
  if (auto v = o.number("temperature", 0, 5)) s.temperature = static_cast<float>(*v);
  if (auto v = o.integer("top_k", 0, 1 << 20)) s.top_k = static_cast<int>(*v);
  if (auto v = o.number("top_p", 0, 1)) s.top_p = static_cast<float>(*v);
  if (auto v = o.number("min_p", 0, 1)) s.min_p = static_cast<float>(*v);
  if (auto v = o.number("repeat_penalty", 0, 10)) s.repeat_penalty = static_cast<float>(*v);
  if (auto v = o.integer("repeat_last_n", -1, 1 << 20)) s.repeat_last_n = static_cast<int>(*v);
  if (auto v = o.number("presence_penalty", -2, 2)) s.presence_penalty = static_cast<float>(*v);
  if (auto v = o.number("frequency_penalty", -2, 2)) s.frequency_penalty = static_cast<float>(*v);
  if (auto v = o.integer("seed", INT64_MIN, INT64_MAX)) s.seed = static_cast<uint64_t>(*v);
  p.req.stop = o.string_or_list("stop", limits.max_stop, limits.max_stop_bytes);
  if (auto n = o.integer("num_predict", -2, 1 << 30)) {
    if (*n == 0) throw invalid_request("'options.num_predict' must be positive, or -1 for no limit.",
                                       "options.num_predict");
    if (*n > 0) p.num_predict = *n;
  }
  return p;
}

// Ollama messages are {role, content[, images]}; the shared reader checks them.
OrderedJson chat_messages(const Json& body, const ApiLimits& limits) {
  auto it = body.find("messages");
  if (it != body.end() && it->is_array()) {
    for (const auto& m : *it) {
      if (m.is_object() && m.contains("images") && !(m["images"].is_array() && m["images"].empty()) &&
          !m["images"].is_null()) {
        throw invalid_request("'images' are not supported: the served models are text-only.", "messages");
      }
    }
  }
  return parse_chat_messages(body, limits);
}

class NdjsonFormatter : public StreamFormatter {
 public:
  NdjsonFormatter(std::string model, bool chat) : model_(std::move(model)), chat_(chat) {}
  std::string begin() override { return {}; }
  std::string text(const std::string& delta) override { return line(piece(delta)) ; }
  std::string end(const engine::GenerationResult& r) override { return line(final_object(r)); }

  OrderedJson piece(const std::string& delta) const {
    OrderedJson j = {{"model", model_}, {"created_at", rfc3339_now()}};
    if (chat_) j["message"] = {{"role", "assistant"}, {"content", delta}};
    else j["response"] = delta;
    j["done"] = false;
    return j;
  }
  OrderedJson final_object(const engine::GenerationResult& r, const std::string& text = {}) const {
    if (r.reason != engine::FinishReason::kStop && r.reason != engine::FinishReason::kLength) {
      return {{"error", r.reason == engine::FinishReason::kTimeout ? "the request exceeded the server's timeout"
                        : r.reason == engine::FinishReason::kCancelled ? "the server is shutting down"
                                                                       : "generation failed: " + r.error}};
    }
    OrderedJson j = piece(text);
    j["done"] = true;
    j["done_reason"] = finish_reason_text(r.reason);
    j["total_duration"] = ns(r.total_seconds);
    j["load_duration"] = 0;
    j["prompt_eval_count"] = r.prompt_tokens;
    j["prompt_eval_duration"] = ns(r.prompt_eval_seconds);
    j["eval_count"] = r.completion_tokens;
    j["eval_duration"] = ns(r.eval_seconds);
    return j;
  }

 private:
  static std::string line(const OrderedJson& j) {
    return j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
  }
  std::string model_;
  bool chat_;
};

// An empty prompt / message list only loads the model in Ollama; answer that way.
void answer_load(httplib::Response& res, const std::string& model, bool chat) {
  OrderedJson j = {{"model", model}, {"created_at", rfc3339_now()}};
  if (chat) j["message"] = {{"role", "assistant"}, {"content", ""}};
  else j["response"] = "";
  j["done"] = true;
  j["done_reason"] = "load";
  res.set_content(j.dump(), "application/json");
}

void handle_generate(bool chat, ApiContext& api, const httplib::Request& req, httplib::Response& res,
                     RequestContext& ctx) {
  Json body = parse_json_body(req.body);
  OllamaParams p = parse_ollama_params(body, api.limits);
  JsonFields f(body);
  auto model = resolve_model(api, ctx, p.model);
  const ModelInfo& info = model->info();
  ctx.stream = p.stream;
  int default_max = 0;  // the rest of the context
  apply_default_params(model->default_parameters(), [opts = f.get("options")](const std::string& name) {
    return opts && JsonFields(*opts).get(name == "max_tokens" ? "num_predict" : name) != nullptr;
  }, p.req, default_max);
  PromptTokens prompt;
  if (chat) {
    const Json* msgs = f.get("messages");
    if (msgs && msgs->is_array() && msgs->empty()) return answer_load(res, p.model, true);
    OrderedJson messages = chat_messages(body, api.limits);
    add_default_system(info, messages);
    guard_messages(api, ctx, res, messages);
    if (api.log_prompts) ctx.prompt = messages.dump();
    prompt = model->tokenize_chat(messages);
  } else {
    std::string text = f.string("prompt", SIZE_MAX).value_or("");
    if (text.empty()) return answer_load(res, p.model, false);
    if (f.get("suffix")) throw invalid_request("'suffix' (fill-in-the-middle) is not supported.", "suffix");
    guard_prompt(api, ctx, res, text);
    if (api.log_prompts) ctx.prompt = text;
    if (f.boolean("raw").value_or(false)) {
      prompt = model->tokenize(text);
    } else {
      OrderedJson messages = OrderedJson::array();
      if (auto system = f.string("system", SIZE_MAX); system && !system->empty()) {
        messages.push_back({{"role", "system"}, {"content", *system}});
      }
      messages.push_back({{"role", "user"}, {"content", text}});
      prompt = model->tokenize_chat(messages);
    }
  }
  fit_to_context(api, info, prompt.ids.size(), p.num_predict, default_max, p.req);
  p.req.prompt = std::move(prompt.ids);
  p.req.timeout_seconds = api.limits.timeout_seconds;
  auto session = GenerationSession::start(model, std::move(p.req), api.metrics);
  set_model_headers(res, info);
  auto fmt = std::make_shared<NdjsonFormatter>(p.model, chat);
  if (p.stream) {
    return stream_generation(res, "application/x-ndjson", session, fmt, ctx, api.log_prompts,
                             OutputGuard::make(api, info));
  }
  std::string text = session->wait_all();
  const auto& r = session->result();
  record_result(ctx, r);
  text = guard_output(api, ctx, info, std::move(text));
  if (api.log_prompts) ctx.completion = text;
  OrderedJson j = fmt->final_object(r, text);
  if (j.contains("error")) throw ApiError(r.reason == engine::FinishReason::kTimeout ? 504 : 500, "server_error",
                                          j["error"].get<std::string>());
  res.set_content(j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace), "application/json");
}

void handle_embed(bool legacy, ApiContext& api, const httplib::Request& req, httplib::Response& res,
                  RequestContext& ctx) {
  Json body = parse_json_body(req.body);
  std::string name = required_model(body);
  auto inputs = parse_embedding_input(body, legacy ? "prompt" : "input", api.limits.max_embed_inputs);
  auto model = resolve_model(api, ctx, name);
  auto start = std::chrono::steady_clock::now();
  int n_tokens = 0;
  std::vector<std::vector<float>> vectors;
  vectors = embed_inputs(*model, inputs, &n_tokens);
  ctx.prompt_tokens = n_tokens;
  api.metrics.prompt_tokens.with({ctx.model}).inc(n_tokens);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  OrderedJson j;
  if (legacy) {
    j = {{"embedding", vectors.at(0)}};
  } else {
    j = {{"model", name}, {"embeddings", vectors}, {"total_duration", ns(seconds)}, {"load_duration", 0},
         {"prompt_eval_count", n_tokens}};
  }
  set_model_headers(res, model->info());
  res.set_content(j.dump(), "application/json");
}

OrderedJson model_entry(const ModelInfo& info) {
  OrderedJson j = {{"name", tagged(info.name)}, {"model", tagged(info.name)}};
  j["modified_at"] = rfc3339(info.modified_at);
  j["size"] = info.file_bytes;
  j["digest"] = info.version;
  j["details"] = details(info);
  return j;
}

// /api/ps: what is loaded, its cost against the memory budget, and when it unloads.
OrderedJson running_entry(const LoadedModel& lm) {
  const ModelInfo& info = lm.model->info();
  OrderedJson j = {{"name", tagged(info.name)}, {"model", tagged(info.name)}, {"size", lm.cost_bytes},
                   {"digest", info.version}, {"details", details(info)}};
  j["expires_at"] = lm.expires_at ? rfc3339(*lm.expires_at) : "2262-04-11T23:47:16Z";  // Ollama's "never"
  j["size_vram"] = 0;
  return j;
}

void handle_list(bool running, ApiContext& api, httplib::Response& res) {
  OrderedJson models = OrderedJson::array();
  if (running) {
    for (const auto& lm : api.backend.loaded_models()) models.push_back(running_entry(lm));
  } else {
    for (const auto& name : api.backend.model_names()) {
      if (auto m = api.backend.peek(name)) {
        models.push_back(model_entry(m->info()));
      } else {  // loads on demand: listed without loading it
        models.push_back({{"name", tagged(name)}, {"model", tagged(name)}, {"size", 0}, {"digest", ""},
                          {"details", OrderedJson::object()}});
      }
    }
  }
  res.set_content(OrderedJson({{"models", models}}).dump(), "application/json");
}

void handle_show(ApiContext& api, const httplib::Request& req, httplib::Response& res, RequestContext& ctx) {
  Json body = parse_json_body(req.body);
  if (!body.contains("model") && body.contains("name")) body["model"] = body["name"];
  const ModelInfo info = resolve_model_info(api, ctx, required_model(body));
  OrderedJson model_info = {{"general.architecture", info.arch},
                            {"general.parameter_count", info.n_params},
                            {info.arch + ".context_length", info.n_ctx_train},
                            {info.arch + ".embedding_length", info.n_embd},
                            {"tokenizer.ggml.vocab_size", info.n_vocab}};
  OrderedJson j = {{"license", ""},
                   {"modelfile", "# Served by Cellar\nFROM " + info.path + "\n"},
                   {"parameters", "num_ctx " + std::to_string(info.n_ctx)},
                   {"template", info.chat_template},
                   {"details", details(info)},
                   {"model_info", model_info},
                   {"capabilities", {"completion", "embedding"}},
                   {"modified_at", rfc3339(info.modified_at)}};
  res.set_content(j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace), "application/json");
}

}  // namespace

void register_ollama_routes(HttpServer& http, ApiContext& api) {
  const auto kStyle = ErrorStyle::kOllama;
  http.post("/api/generate", kStyle, [&api](auto& req, auto& res, auto& ctx) {
    handle_generate(false, api, req, res, ctx);
  });
  http.post("/api/chat", kStyle, [&api](auto& req, auto& res, auto& ctx) { handle_generate(true, api, req, res, ctx); });
  http.post("/api/embed", kStyle, [&api](auto& req, auto& res, auto& ctx) { handle_embed(false, api, req, res, ctx); });
  http.post("/api/embeddings", kStyle,
            [&api](auto& req, auto& res, auto& ctx) { handle_embed(true, api, req, res, ctx); });
  http.get("/api/tags", kStyle, [&api](auto&, auto& res, auto&) { handle_list(false, api, res); });
  http.get("/api/ps", kStyle, [&api](auto&, auto& res, auto&) { handle_list(true, api, res); });
  http.post("/api/show", kStyle, [&api](auto& req, auto& res, auto& ctx) { handle_show(api, req, res, ctx); });
  http.get("/api/version", kStyle, [&api](auto&, auto& res, auto&) {
    res.set_content(OrderedJson({{"version", api.version}}).dump(), "application/json");
  }, false);
}

}  // namespace cellar::server
