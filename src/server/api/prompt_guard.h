#pragma once
// The guard policy (guard/policy.h) in the request path, before the model
// sees the input: user and tool text is scored for prompt injection
// (block -> 400 prompt_injection_detected; flag -> X-Cellar-Guard header and
// cellar_guard_flagged_total{model}), then PII is redacted when the policy
// asks for it. Needs ctx.model set (resolve_model) for the metric label.
#include <string>

#include "server/api/api_context.h"

namespace cellar::server {

// Chat messages as parsed ([{role, content: string}]); redacts in place.
void guard_messages(const ApiContext& api, RequestContext& ctx, httplib::Response& res, OrderedJson& messages);
// A plain completion prompt; redacts in place.
void guard_prompt(const ApiContext& api, RequestContext& ctx, httplib::Response& res, std::string& prompt);

}  // namespace cellar::server
