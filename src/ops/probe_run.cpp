#include "ops/probe_run.h"

#include <ctime>

#include "ops/expectations.h"

namespace cellar::ops {

bool ProbeRun::all_passed() const {
  for (const auto& r : results)
    if (!r.passed) return false;
  return !results.empty();
}

std::vector<const QuestionResult*> ProbeRun::failures() const {
  std::vector<const QuestionResult*> out;
  for (const auto& r : results)
    if (!r.passed) out.push_back(&r);
  return out;
}

void add_failure(QuestionResult& r, const std::string& why) {
  r.passed = false;
  r.reason += (r.reason.empty() ? "" : "; ") + why;
}

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

ProbeRun run_suite(const GoldenSuite& suite, const ChatClient& client) {
  ProbeRun run;
  run.suite = suite.name;
  for (const auto& q : suite.questions) {
    QuestionResult r;
    r.question_id = q.id;
    r.deployment = q.deployment;
    r.time = std::chrono::system_clock::now();
    ChatResult chat = client.ask({q.deployment, q.system, q.prompt, q.request_max_tokens});
    r.model_version = chat.model_version;
    r.template_version = chat.template_version;
    r.answer = chat.answer;
    r.reached = chat.ok;
    if (!chat.ok) {
      add_failure(r, chat.error);
    } else {
      Verdict v = check_answer(q.expect, chat.answer);
      r.passed = v.passed;
      r.reason = v.reason();
    }
    run.results.push_back(std::move(r));
  }
  return run;
}

}  // namespace cellar::ops
