#pragma once
// OpenAI-compatible routes: POST /v1/chat/completions, POST /v1/completions,
// POST /v1/embeddings, GET /v1/models.
#include "server/api/api_context.h"
#include "server/http/http_server.h"

namespace cellar::server {

void register_openai_routes(HttpServer& http, ApiContext& api);

}  // namespace cellar::server
