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
  const guard::GuardPolicy& policy = guard_policy_for(api, ctx.model);
  char score[32];
  std::snprintf(score, sizeof score, "%.2f", worst);
  if (policy.injection == guard::InjectionMode::kBlock) {
    throw ApiError(400, "invalid_request_error",
                   std::string("The request was refused: its input looks like a prompt injection (score ") + score +
                       "). Rephrase it, or ask the operator about this deployment's guard policy.",
                   {}, "prompt_injection_detected");
  }
  res.set_header("X-Cellar-Guard", std::string("flagged;score=") + score);
  api.metrics.guard_flagged.with({ctx.model}).inc();
}

double injection_score(const guard::GuardPolicy& policy, const std::string& text) {
  auto r = guard::detect_injection(text, policy.threshold);
  return r.flagged ? r.score : -1;
}

}  // namespace

void guard_messages(const ApiContext& api, RequestContext& ctx, httplib::Response& res, OrderedJson& messages) {
  const guard::GuardPolicy& policy = guard_policy_for(api, ctx.model);
  if (policy.injection != guard::InjectionMode::kOff) {
    double worst = -1;
    for (const auto& m : messages) {
      const std::string role = m.value("role", "");
      if (role == "user" || role == "tool") worst = std::max(worst, injection_score(policy, m.value("content", "")));
    }
    act_on_injection(api, ctx, res, worst);
  }
  if (!policy.redact_input) return;
  for (auto& m : messages) {
    if (m.contains("content") && m["content"].is_string()) {
      m["content"] = guard::redact_pii(m["content"].get<std::string>()).text;
    }
  }
}

void guard_prompt(const ApiContext& api, RequestContext& ctx, httplib::Response& res, std::string& prompt) {
  const guard::GuardPolicy& policy = guard_policy_for(api, ctx.model);
  if (policy.injection != guard::InjectionMode::kOff) act_on_injection(api, ctx, res, injection_score(policy, prompt));
  if (policy.redact_input) prompt = guard::redact_pii(prompt).text;
}

namespace {

guard::OutputGuardOptions output_options(const guard::GuardPolicy& policy, const ModelInfo& info) {
  guard::OutputGuardOptions o;
  o.pii = policy.redact_output ? guard::kAllPii : 0;
  o.system_prompt = info.system_prompt;
  o.canary = guard::find_canary_in(info.system_prompt);
  o.block_on_leak = policy.injection == guard::InjectionMode::kBlock;
  return o;
}

}  // namespace

OutputGuard::OutputGuard(const ApiContext& api, const ModelInfo& info)
    : redactor_(output_options(guard_policy_for(api, info.name), info)), metrics_(api.metrics), model_(info.name) {}

std::shared_ptr<OutputGuard> OutputGuard::make(const ApiContext& api, const ModelInfo& info) {
  auto g = std::make_shared<OutputGuard>(api, info);
  return g->redactor_.inactive() ? nullptr : g;
}

void OutputGuard::record(RequestContext& ctx) const {
  if (redactor_.pii_redacted() > 0) {
    metrics_.guard_output.with({model_, "pii"}).inc(static_cast<double>(redactor_.pii_redacted()));
  }
  if (redactor_.leaks() > 0) metrics_.guard_output.with({model_, "leak"}).inc(static_cast<double>(redactor_.leaks()));
  if (redactor_.blocked()) ctx.finish_reason = "content_filter";
}

std::string guard_output(const ApiContext& api, RequestContext& ctx, const ModelInfo& info, std::string text) {
  auto g = OutputGuard::make(api, info);
  if (!g) return text;
  std::string out = g->push(text);
  out += g->finish();
  g->record(ctx);
  return out;
}

}  // namespace cellar::server
