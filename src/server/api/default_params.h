#pragma once
// A deployment's default sampling parameters (its template's, overridden by
// its own; registry/sampling_params.h) fill the fields a request leaves unset:
// the request always wins. The registry validated the values when they were
// recorded, so they are applied as they are.
#include <cstdint>
#include <functional>
#include <string>

#include "engine/generation.h"
#include "server/api/json_fields.h"

namespace cellar::server {

// `given(name)`: whether the request set the parameter with registry name
// `name` ("max_tokens" stands for OpenAI's max_completion_tokens and Ollama's
// num_predict too). A default max_tokens replaces `default_max_tokens`, the
// route's own default for fit_to_context: like it, it is cut to the room the
// context leaves, where a request's own max_tokens that does not fit is a 400.
// `num_ctx` is ignored: the context per slot is the server's.
void apply_default_params(const Json& defaults, const std::function<bool(const std::string&)>& given,
                          engine::GenerationRequest& req, int& default_max_tokens);

}  // namespace cellar::server
