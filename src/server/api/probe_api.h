#pragma once
// Kubernetes-style probes and Prometheus: GET /health (process alive),
// GET /ready (every model loaded and warmed), GET /metrics.
#include "server/api/api_context.h"
#include "server/http/http_server.h"

namespace cellar::server {

void register_probe_routes(HttpServer& http, ApiContext& api);

// Samples scheduler queues and KV use into the gauges (runs before each scrape).
void add_scheduler_collector(ApiContext& api);

}  // namespace cellar::server
