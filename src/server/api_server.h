#pragma once
// The whole HTTP API over an InferenceBackend: transport, OpenAI, Ollama and
// probe routes, metrics, authentication and graceful shutdown.
#include <map>
#include <memory>
#include <string>
#include <optional>

#include "server/api/admin_api.h"
#include "server/api/api_context.h"
#include "guard/policy.h"
#include "registry/rate_limiter.h"
#include "server/auth.h"
#include "server/http/http_server.h"
#include "server/timing_recorder.h"

namespace cellar::server {

struct ApiServerOptions {
  HttpOptions http;
  ApiLimits limits;
  std::string version = "0.1.0";
  guard::GuardPolicy guard;                                    // every model without its own
  std::map<std::string, guard::GuardPolicy> deployment_guard;  // by served model name (registry)
  registry::RateLimits rate_limits;  // per authenticated key; 0 = unlimited
  std::optional<AdminOptions> admin;  // the /admin/ routes over this registry; they always need an admin key
  std::optional<std::filesystem::path> timings_home;  // registry that gets per-request timings (report latency)
};

class ApiServer {
 public:
  // `auth` may be null: every route is open (loopback default).
  ApiServer(ApiServerOptions opts, InferenceBackend& backend, std::shared_ptr<const Authenticator> auth = nullptr);
  ~ApiServer();

  int bind();    // the bound port
  void serve();  // blocks until shutdown() or stop()
  // Answer 503 to new requests, let running generations finish up to the
  // deadline (then cancel them), give streams a moment to flush, stop.
  void shutdown(double deadline_seconds);
  void stop();
  ServerMetrics& metrics() { return *metrics_; }
  AdminContext* admin() { return admin_.get(); }
  TimingRecorder* timings() { return timings_.get(); }

 private:
  // Authentication, the route's role and the key's rate limit; throws ApiError 401/403/429.
  void check_access(const httplib::Request& req, RequestContext& ctx);

  ApiServerOptions opts_;
  InferenceBackend& backend_;
  std::shared_ptr<const Authenticator> auth_;
  registry::RateLimiter limiter_;
  std::unique_ptr<ServerMetrics> metrics_;
  std::unique_ptr<ApiContext> api_;
  std::unique_ptr<AdminContext> admin_;
  std::unique_ptr<TimingRecorder> timings_;
  std::unique_ptr<HttpServer> http_;
};

}  // namespace cellar::server
