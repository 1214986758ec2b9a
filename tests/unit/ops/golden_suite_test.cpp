#include "ops/golden_suite.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace cellar::ops {
namespace {

std::string error_of(const std::string& yaml) {
  try {
    parse_suite(yaml, "s.yaml");
  } catch (const SuiteError& e) {
    return e.what();
  }
  return "";
}

TEST(GoldenSuite, ParsesQuestionsDefaultsAndOverrides) {
  auto s = parse_suite(R"(
suite: nightly
deployment: assistant
defaults:
  max_tokens: 100
  expect: {max_latency_ms: 2000, contains: [x]}
questions:
  - id: a
    prompt: "hi"
    expect: {contains: [Paris, France], regex: 'P.r', json: false}
  - id: b
    prompt: "json"
    deployment: other
    max_tokens: 7
    expect:
      max_ttft_ms: 300
      max_tokens: 5
      json_schema: {type: object, required: [k]}
)",
                       "s.yaml");
  EXPECT_EQ(s.name, "nightly");
  ASSERT_EQ(s.questions.size(), 2u);
  const auto& a = s.questions[0];
  EXPECT_EQ(a.deployment, "assistant");
  EXPECT_EQ(a.request_max_tokens, 100);
  EXPECT_EQ(a.expect.contains, (std::vector<std::string>{"Paris", "France"}));  // question overrides default
  EXPECT_EQ(a.expect.max_latency_ms, 2000);
  EXPECT_EQ(a.expect.regex, std::vector<std::string>{"P.r"});
  const auto& b = s.questions[1];
  EXPECT_EQ(b.deployment, "other");
  EXPECT_EQ(b.request_max_tokens, 7);
  EXPECT_EQ(b.expect.max_ttft_ms, 300);
  EXPECT_EQ(b.expect.max_tokens, 5);
  EXPECT_TRUE(b.expect.json);  // a schema implies JSON
  ASSERT_TRUE(b.expect.json_schema.has_value());
  EXPECT_EQ((*b.expect.json_schema)["required"][0], "k");
}

TEST(GoldenSuite, AcceptsJson) {
  auto s = parse_suite(R"({"deployment": "m", "questions": [{"id": "q", "prompt": "p",
                          "expect": {"contains": "x"}}]})",
                       "suite.json");
  EXPECT_EQ(s.name, "suite");  // falls back to the file's stem
  EXPECT_EQ(s.questions.at(0).expect.contains, std::vector<std::string>{"x"});
}

TEST(GoldenSuite, ErrorsNameFileQuestionAndField) {
  std::string e = error_of("deployment: m\nquestions:\n  - id: cap\n    prompt: p\n    expect: {regex: '('}\n");
  EXPECT_NE(e.find("s.yaml"), std::string::npos) << e;
  EXPECT_NE(e.find("question 'cap'"), std::string::npos) << e;
  EXPECT_NE(e.find("expect.regex"), std::string::npos) << e;

  e = error_of("deployment: m\nquestions:\n  - id: q\n    prompt: p\n    expect: {contain: x}\n");
  EXPECT_NE(e.find("expect.contain"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown field"), std::string::npos) << e;

  e = error_of("deployment: m\nquestions:\n  - prompt: p\n");
  EXPECT_NE(e.find("question #1"), std::string::npos) << e;
  EXPECT_NE(e.find("'id'"), std::string::npos) << e;

  e = error_of("questions:\n  - id: q\n    prompt: p\n");
  EXPECT_NE(e.find("'deployment'"), std::string::npos) << e;

  e = error_of("deployment: m\nquestions:\n  - id: q\n    prompt: p\n    expect: {max_latency_ms: -5}\n");
  EXPECT_NE(e.find("expect.max_latency_ms"), std::string::npos) << e;

  e = error_of("deployment: m\nquestions:\n  - id: q\n    prompt: p\n    expect: {json_schema: {type: thing}}\n");
  EXPECT_NE(e.find("expect.json_schema"), std::string::npos) << e;
  EXPECT_NE(e.find("/type"), std::string::npos) << e;

  e = error_of("deployment: m\nquestions:\n  - {id: q, prompt: p}\n  - {id: q, prompt: p2}\n");
  EXPECT_NE(e.find("duplicate"), std::string::npos) << e;

  EXPECT_NE(error_of("deployment: m\nquestions: []\n").find("'questions'"), std::string::npos);
  EXPECT_NE(error_of("deployment: [unclosed\n").find("not valid YAML"), std::string::npos);
}

TEST(GoldenSuite, QuotedNumbersStayStrings) {
  auto s = parse_suite("deployment: m\nquestions:\n  - {id: q, prompt: p, expect: {contains: '42'}}\n", "s.yaml");
  EXPECT_EQ(s.questions[0].expect.contains, std::vector<std::string>{"42"});
}

TEST(GoldenSuite, ShippedExampleLoads) {
  auto s = load_suite(std::filesystem::path(CELLAR_SOURCE_DIR) / "examples" / "golden-suite.yaml");
  EXPECT_EQ(s.questions.size(), 5u);
  for (const auto& q : s.questions) {
    EXPECT_FALSE(q.prompt.empty());
    EXPECT_EQ(q.expect.max_ttft_ms, 5000);
  }
}

TEST(GoldenSuite, MissingFileIsASuiteError) {
  EXPECT_THROW(load_suite("/nonexistent/suite.yaml"), SuiteError);
}

}  // namespace
}  // namespace cellar::ops
