#include "server/api_server.h"

#include <httplib.h>

#include <thread>

#include "server/api/openai_api.h"
#include "server/api/probe_api.h"

namespace cellar::server {

void register_ollama_routes(HttpServer& http, ApiContext& api);

ApiServer::ApiServer(ApiServerOptions opts, InferenceBackend& backend, std::shared_ptr<const Authenticator> auth)
    : opts_(std::move(opts)), backend_(backend), auth_(std::move(auth)), limiter_(opts_.rate_limits), metrics_(std::make_unique<ServerMetrics>()) {
  opts_.http.redact_logged_pii = opts_.guard.redact_logs;
  api_ = std::make_unique<ApiContext>(ApiContext{backend_, *metrics_, opts_.limits, opts_.version,
                                                 opts_.http.log_prompts, opts_.guard, opts_.deployment_guard});
  http_ = std::make_unique<HttpServer>(opts_.http, *metrics_);
  if (opts_.admin) admin_ = std::make_unique<AdminContext>(*opts_.admin);
  if (auth_ || admin_) http_->set_guard([this](const httplib::Request& req, RequestContext& ctx) { check_access(req, ctx); });
  if (opts_.timings_home) timings_ = std::make_unique<TimingRecorder>(*opts_.timings_home);
  http_->set_on_complete([this](const RequestContext& ctx) {
    if (!ctx.principal.empty() && ctx.completion_tokens > 0) limiter_.charge_tokens(ctx.principal, ctx.completion_tokens);
    if (timings_) timings_->record(ctx);
  });
  register_openai_routes(*http_, *api_);
  register_ollama_routes(*http_, *api_);
  register_probe_routes(*http_, *api_);
  if (admin_) register_admin_routes(*http_, *admin_);
  add_scheduler_collector(*api_);
}

void ApiServer::check_access(const httplib::Request& req, RequestContext& ctx) {
  Role need = required_role(ctx.route);
  // Registry changes always need a key, even while an open server has none yet.
  if (need != Role::Admin && (!auth_ || !auth_->required())) return;
  if (!auth_) {
    throw ApiError(401, "invalid_request_error",
                   "The admin API needs API keys: create one with `cellar keys create --name NAME --role admin`.",
                   {}, "invalid_api_key");
  }
  std::string token = bearer_token(req.get_header_value("Authorization"));
  if (token.empty()) {
    throw ApiError(401, "invalid_request_error",
                   "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.", {}, "invalid_api_key");
  }
  auto who = auth_->authenticate(token);
  if (!who) throw ApiError(401, "invalid_request_error", "Incorrect API key provided.", {}, "invalid_api_key");
  ctx.principal = who->id;
  ctx.allowed_models = who->models;
  if (!registry::role_allows(who->role, need)) {
    throw ApiError(403, "invalid_request_error",
                   "The key '" + who->id + "' has role '" + std::string(registry::role_name(who->role)) + "'; " +
                       ctx.route + " needs '" + std::string(registry::role_name(need)) + "' or higher.",
                   {}, "insufficient_permissions");
  }
  auto decision = limiter_.admit(who->id);
  if (!decision.allowed) {
    ApiError err(429, "rate_limit_error", "Rate limit reached for key '" + who->id + "'; retry after " +
                                              std::to_string(decision.retry_after_header()) + " s.",
                 {}, "rate_limit_exceeded");
    err.retry_after_seconds = static_cast<int>(decision.retry_after_header());
    throw err;
  }
}

ApiServer::~ApiServer() { stop(); }

int ApiServer::bind() { return http_->bind(); }

void ApiServer::serve() { http_->serve(); }

void ApiServer::shutdown(double deadline_seconds) {
  http_->set_draining(true);
  backend_.drain(deadline_seconds);
  // Streams write their last chunks on their own threads after the engine finishes them.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  http_->stop();
}

void ApiServer::stop() { http_->stop(); }

}  // namespace cellar::server
