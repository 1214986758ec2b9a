#include "server/api_server.h"

#include <httplib.h>

#include <thread>

#include "server/api/openai_api.h"
#include "server/api/probe_api.h"

namespace cellar::server {

void register_ollama_routes(HttpServer& http, ApiContext& api);

ApiServer::ApiServer(ApiServerOptions opts, InferenceBackend& backend, std::shared_ptr<const Authenticator> auth)
    : opts_(std::move(opts)), backend_(backend), auth_(std::move(auth)), metrics_(std::make_unique<ServerMetrics>()) {
  api_ = std::make_unique<ApiContext>(ApiContext{backend_, *metrics_, opts_.limits, opts_.version,
                                                 opts_.http.log_prompts});
  http_ = std::make_unique<HttpServer>(opts_.http, *metrics_);
  if (auth_) {
    http_->set_guard([this](const httplib::Request& req, RequestContext& ctx) {
      std::string token = bearer_token(req.get_header_value("Authorization"));
      if (token.empty()) {
        throw ApiError(401, "invalid_request_error",
                       "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.", {},
                       "invalid_api_key");
      }
      auto who = auth_->authenticate(token);
      if (!who) throw ApiError(401, "invalid_request_error", "Incorrect API key provided.", {}, "invalid_api_key");
      ctx.principal = who->id;
      ctx.allowed_models = who->models;
    });
  }
  register_openai_routes(*http_, *api_);
  register_ollama_routes(*http_, *api_);
  register_probe_routes(*http_, *api_);
  add_scheduler_collector(*api_);
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
