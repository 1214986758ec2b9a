#include "server/api/probe_api.h"

#include <httplib.h>

namespace cellar::server {

void add_scheduler_collector(ApiContext& api) {
  api.metrics.registry.add_collector([&api] {
    for (const auto& name : api.backend.model_names()) {
      auto m = api.backend.peek(name);  // scrapes must not load models nor keep them alive
      if (!m) continue;
      auto s = m->stats();
      api.metrics.running.with({name}).set(s.running);
      api.metrics.waiting.with({name}).set(s.waiting);
      api.metrics.kv_usage.with({name}).set(s.kv_usage);
    }
  });
}

void register_probe_routes(HttpServer& http, ApiContext& api) {
  http.get("/health", ErrorStyle::kOpenAi, [](auto&, auto& res, auto&) {
    res.set_content(R"({"status":"ok"})", "application/json");
  }, false);
  http.get("/ready", ErrorStyle::kOpenAi, [&api, &http](auto&, auto& res, auto&) {
    Readiness r = api.backend.readiness();
    if (http.draining()) r = {false, "shutting down"};
    nlohmann::json j = {{"status", r.ready ? "ready" : "not ready"}};
    if (!r.ready) {
      j["reason"] = r.reason;
      res.status = 503;
    }
    res.set_content(j.dump(), "application/json");
  }, false);
  http.get("/metrics", ErrorStyle::kOpenAi, [&api](auto&, auto& res, auto&) {
    res.set_content(api.metrics.registry.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace cellar::server
