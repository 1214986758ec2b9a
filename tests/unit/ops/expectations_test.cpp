#include "ops/expectations.h"

#include <gtest/gtest.h>

#include "ops/json_schema.h"

namespace cellar::ops {
namespace {

using nlohmann::json;

Answer text(const std::string& t) { return Answer{t, 100, 10.0, 3}; }

TEST(Expectations, ContainsAndNotContains) {
  Expectations e;
  e.contains = {"Paris"};
  e.not_contains = {"Lyon"};
  EXPECT_TRUE(check_answer(e, text("It is Paris.")).passed);
  auto v = check_answer(e, text("Lyon"));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.failures.size(), 2u);
  EXPECT_NE(v.reason().find("missing \"Paris\""), std::string::npos);
  EXPECT_NE(v.reason().find("forbidden \"Lyon\""), std::string::npos);
}

TEST(Expectations, Regex) {
  Expectations e;
  e.regex = {R"(\b42\b)"};
  EXPECT_TRUE(check_answer(e, text("The answer is 42.")).passed);
  EXPECT_FALSE(check_answer(e, text("The answer is 420.")).passed);
}

TEST(Expectations, JsonAcceptsFencedJsonAndRejectsProse) {
  Expectations e;
  e.json = true;
  EXPECT_TRUE(check_answer(e, text("{\"a\": 1}")).passed);
  EXPECT_TRUE(check_answer(e, text("```json\n{\"a\": 1}\n```\n")).passed);
  auto v = check_answer(e, text("Sure! {\"a\": 1}"));
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.reason(), "answer is not valid JSON");
}

TEST(Expectations, JsonSchema) {
  Expectations e;
  e.json = true;
  e.json_schema = json::parse(R"({"type": "object", "required": ["name", "age"],
      "properties": {"name": {"type": "string", "minLength": 1},
                     "age": {"type": "integer", "minimum": 0, "maximum": 150}}})");
  EXPECT_TRUE(check_answer(e, text(R"({"name": "Alice", "age": 34})")).passed);
  auto v = check_answer(e, text(R"({"name": "Alice", "age": 200})"));
  EXPECT_FALSE(v.passed);
  EXPECT_NE(v.reason().find("/age"), std::string::npos) << v.reason();
  EXPECT_FALSE(check_answer(e, text(R"({"name": "Alice"})")).passed);
}

TEST(Expectations, TimingAndTokenLimits) {
  Expectations e;
  e.max_latency_ms = 500;
  e.max_ttft_ms = 50;
  e.max_tokens = 4;
  EXPECT_TRUE(check_answer(e, Answer{"x", 400, 40.0, 4}).passed);
  auto v = check_answer(e, Answer{"x", 600, 60.0, 5});
  ASSERT_EQ(v.failures.size(), 3u);
  EXPECT_NE(v.failures[0].find("latency 600 ms > 500 ms"), std::string::npos);
  EXPECT_NE(v.failures[1].find("TTFT 60 ms > 50 ms"), std::string::npos);
  EXPECT_NE(v.failures[2].find("5 tokens > max_tokens 4"), std::string::npos);
  EXPECT_FALSE(check_answer(e, Answer{"", 10, std::nullopt, 0}).passed);  // no first token at all
}

TEST(JsonSchema, Subset) {
  json schema = json::parse(R"({"type": "array", "minItems": 1, "maxItems": 2,
      "items": {"type": "object", "additionalProperties": false,
                "properties": {"tag": {"enum": ["a", "b"]}, "n": {"type": ["integer", "null"]},
                               "s": {"type": "string", "maxLength": 3}}}})");
  ASSERT_FALSE(check_schema(schema).has_value());
  EXPECT_FALSE(validate_json(schema, json::parse(R"([{"tag": "a", "n": null, "s": "äöü"}])")));
  EXPECT_EQ(*validate_json(schema, json::parse("[]")), "(root): needs at least 1 items");
  EXPECT_TRUE(validate_json(schema, json::parse("[{}, {}, {}]")));
  EXPECT_NE(validate_json(schema, json::parse(R"([{"tag": "c"}])"))->find("/0/tag"), std::string::npos);
  EXPECT_NE(validate_json(schema, json::parse(R"([{"x": 1}])"))->find("not allowed"), std::string::npos);
  EXPECT_NE(validate_json(schema, json::parse(R"([{"n": 1.5}])"))->find("/0/n"), std::string::npos);
  EXPECT_TRUE(validate_json(schema, json::parse(R"([{"s": "abcd"}])")));
  EXPECT_FALSE(validate_json(schema, json::parse(R"([{"n": 2.0}])")));  // integral number is an integer
}

TEST(JsonSchema, RejectsUnsupportedKeywords) {
  EXPECT_NE(check_schema(json::parse(R"({"oneOf": []})"))->find("/oneOf"), std::string::npos);
  EXPECT_TRUE(check_schema(json::parse(R"({"properties": {"a": {"minLength": -1}}})")));
  EXPECT_TRUE(check_schema(json::parse("3")));
  EXPECT_FALSE(check_schema(json::parse(R"({"title": "t", "type": "string"})")));
}

}  // namespace
}  // namespace cellar::ops
