#pragma once
// The guard policy (guard/policy.h) in the request path, before the model
// sees the input: user and tool text is scored for prompt injection
// (block -> 400 prompt_injection_detected; flag -> X-Cellar-Guard header and
// cellar_guard_flagged_total{model}), then PII is redacted when the policy
// asks for it. Needs ctx.model set (resolve_model): it picks the deployment's
// policy (guard_policy_for) and labels the metric.
#include <memory>
#include <string>
#include <string_view>

#include "guard/stream_redactor.h"
#include "server/api/api_context.h"

namespace cellar::server {

// Chat messages as parsed ([{role, content: string}]); redacts in place.
void guard_messages(const ApiContext& api, RequestContext& ctx, httplib::Response& res, OrderedJson& messages);
// A plain completion prompt; redacts in place.
void guard_prompt(const ApiContext& api, RequestContext& ctx, httplib::Response& res, std::string& prompt);

// The guard on generated text, streamed or not: PII placeholders when the
// policy redacts output, and the canary / system-prompt leak check whenever
// the model has a system prompt (a leak is redacted, or ends the output when
// the policy blocks injections). See guard/stream_redactor.h.
class OutputGuard {
 public:
  OutputGuard(const ApiContext& api, const ModelInfo& info);
  // nullptr when there is nothing to check.
  static std::shared_ptr<OutputGuard> make(const ApiContext& api, const ModelInfo& info);

  std::string push(std::string_view text) { return redactor_.push(text); }
  std::string finish() { return redactor_.finish(); }
  bool blocked() const { return redactor_.blocked(); }
  // Counts what was redacted (cellar_guard_output_total) and notes a block in the log.
  void record(RequestContext& ctx) const;

 private:
  guard::StreamRedactor redactor_;
  ServerMetrics& metrics_;
  std::string model_;
};

// Non-streaming: the whole text through an OutputGuard (unchanged without one).
std::string guard_output(const ApiContext& api, RequestContext& ctx, const ModelInfo& info, std::string text);

}  // namespace cellar::server
