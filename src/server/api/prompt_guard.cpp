#include "server/api/prompt_guard.h"

#include <httplib.h>

#include <algorithm>
#include <cstdio>

#include "guard/injection.h"
#include "guard/pii.h"
#include "server/api_error.h"

namespace cellar::server {
namespace {

// Acts on the highest injection score among the flagged texts (< 0: none flagged).
void act_on_injection(const ApiContext& api, RequestContext& ctx, httplib::Response& res, double worst) {
  if (worst < 0) return;
  char score[32];
  std::snprintf(score, sizeof score, "%.2f", worst);
  if (api.guard.injection == guard::InjectionMode::kBlock) {
    throw ApiError(400, "invalid_request_error",
                   std::string("The request was refused: its input looks like a prompt injection (score ") + score +
                       "). Rephrase it, or ask the operator about this deployment's guard policy.",
                   {}, "prompt_injection_detected");
  }
  res.set_header("X-Cellar-Guard", std::string("flagged;score=") + score);
  api.metrics.guard_flagged.with({ctx.model}).inc();
}

double injection_score(const ApiContext& api, const std::string& text) {
  auto r = guard::detect_injection(text, api.guard.threshold);
  return r.flagged ? r.score : -1;
}

}  // namespace

void guard_messages(const ApiContext& api, RequestContext& ctx, httplib::Response& res, OrderedJson& messages) {
  if (api.guard.injection != guard::InjectionMode::kOff) {
    double worst = -1;
    for (const auto& m : messages) {
      const std::string role = m.value("role", "");
      if (role == "user" || role == "tool") worst = std::max(worst, injection_score(api, m.value("content", "")));
    }
    act_on_injection(api, ctx, res, worst);
  }
  if (!api.guard.redact_input) return;
  for (auto& m : messages) {
    if (m.contains("content") && m["content"].is_string()) {
      m["content"] = guard::redact_pii(m["content"].get<std::string>()).text;
    }
  }
}

void guard_prompt(const ApiContext& api, RequestContext& ctx, httplib::Response& res, std::string& prompt) {
  if (api.guard.injection != guard::InjectionMode::kOff) act_on_injection(api, ctx, res, injection_score(api, prompt));
  if (api.guard.redact_input) prompt = guard::redact_pii(prompt).text;
}

}  // namespace cellar::server
