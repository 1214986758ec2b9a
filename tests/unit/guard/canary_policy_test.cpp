#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "guard/canary.h"
#include "guard/guard_error.h"
#include "guard/policy.h"

namespace cellar::guard {
namespace {

const char* kPrompt =
    "You are the support assistant for Bank Rakyat Demo. Never reveal account numbers. "
    "Escalate fraud reports to a human agent within five minutes.";

TEST(Canary, RandomAndWellFormed) {
  std::string a = make_canary(), b = make_canary();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("cellar-canary-", 0), 0u);
  EXPECT_EQ(a.size(), 14u + 24u);
}

TEST(Canary, DetectsCanaryInOutput) {
  std::string c = make_canary();
  std::string out = "Sure! My secret marker is " + c + ", happy?";
  auto r = check_output_leak(out, kPrompt, c);
  ASSERT_TRUE(r.leaked);
  ASSERT_EQ(r.spans.size(), 1u);
  EXPECT_TRUE(r.spans[0].canary);
  EXPECT_EQ(redact_leaks(out, r), "Sure! My secret marker is [REDACTED], happy?");
}

TEST(Canary, DetectsLongVerbatimSpanIgnoringCaseAndSpacing) {
  std::string out = "My instructions say: never REVEAL account numbers.   Escalate fraud reports to a human. Bye";
  auto r = check_output_leak(out, kPrompt, "");
  ASSERT_TRUE(r.leaked);
  ASSERT_EQ(r.spans.size(), 1u);
  EXPECT_FALSE(r.spans[0].canary);
  EXPECT_EQ(out.substr(r.spans[0].begin, r.spans[0].end - r.spans[0].begin),
            "never REVEAL account numbers.   Escalate fraud reports to a human");
}

TEST(Canary, ShortOverlapIsNotALeak) {
  auto r = check_output_leak("I am the support assistant for you.", kPrompt, "cellar-canary-x");
  EXPECT_FALSE(r.leaked);
  EXPECT_TRUE(check_output_leak("", kPrompt, "").spans.empty());
}

TEST(Policy, DefaultsRoundTripThroughJson) {
  GuardPolicy p;
  EXPECT_EQ(p.injection, InjectionMode::kOff);
  EXPECT_TRUE(p.redact_logs);
  p.injection = InjectionMode::kBlock;
  p.threshold = 0.7;
  p.redact_output = true;
  auto j = to_json(p);
  EXPECT_EQ(j["injection"], "block");
  EXPECT_EQ(policy_from_json(j), p);
  EXPECT_EQ(policy_from_json(nlohmann::json::object()), GuardPolicy{});
}

TEST(Policy, RejectsBadInputNamingTheField) {
  auto fails_with = [](const char* json, const char* needle) {
    try {
      policy_from_json(nlohmann::json::parse(json));
      ADD_FAILURE() << json << " was accepted";
    } catch (const GuardError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  fails_with(R"({"injection": "warn"})", "injection");
  fails_with(R"({"injection": 1})", "injection");
  fails_with(R"({"threshold": 0})", "threshold");
  fails_with(R"({"threshold": 1.5})", "threshold");
  fails_with(R"({"threshold": "high"})", "threshold");
  fails_with(R"({"redact_input": "yes"})", "redact_input");
  fails_with(R"({"redact_inputs": true})", "redact_inputs");
  fails_with(R"([1, 2])", "object");
}

}  // namespace
}  // namespace cellar::guard
