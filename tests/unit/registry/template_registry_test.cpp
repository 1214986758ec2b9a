#include <gtest/gtest.h>

#include "registry/line_diff.h"
#include "registry/sampling_params.h"
#include "registry/template_registry.h"
#include "registry_fixture.h"

namespace cellar::registry::test {
namespace {

TEST(TemplateSpec, ParsesYaml) {
  auto spec = parse_template_spec(
      "system: |\n  You are terse.\n  Answer briefly.\n"
      "chat_template: \"{{ messages }}\"\n"
      "parameters:\n  temperature: 0.2\n  top_k: 40\n  stop: [\"</s>\", \"User:\"]\n",
      "t.yaml");
  EXPECT_EQ(spec.system_prompt, "You are terse.\nAnswer briefly.\n");
  EXPECT_EQ(spec.chat_template, "{{ messages }}");
  EXPECT_DOUBLE_EQ(spec.parameters["temperature"].get<double>(), 0.2);
  EXPECT_EQ(spec.parameters["top_k"], 40);
  EXPECT_EQ(spec.parameters["stop"][1], "User:");
}

TEST(TemplateSpec, ParsesJson) {
  auto spec = parse_template_spec(R"({"system": "hi", "parameters": {"top_p": 0.9, "seed": 42}})", "t.json");
  EXPECT_EQ(spec.system_prompt, "hi");
  EXPECT_FALSE(spec.chat_template);
  EXPECT_EQ(spec.parameters["seed"], 42);
}

TEST(TemplateSpec, QuotedNumbersStayStringsAndFailValidation) {
  EXPECT_THROW(parse_template_spec("parameters:\n  temperature: \"0.2\"\n", "t.yaml"), InvalidInput);
}

TEST(TemplateSpec, RejectsBadInputWithTheFileName) {
  const char* bad[] = {
      "- a list\n",                          // not a mapping
      "system: [1, 2]\n",                    // system must be text
      "sytem: typo\n",                       // unknown key
      "parameters:\n  temprature: 1\n",      // unknown parameter
      "parameters:\n  temperature: -1\n",    // out of range
      "parameters:\n  top_k: 2.5\n",         // not an integer
      "parameters:\n  stop: [1]\n",          // stop must be strings
      "system: [unclosed\n",                 // YAML syntax
  };
  for (const char* text : bad) {
    try {
      parse_template_spec(text, "mine.yaml");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const InvalidInput& e) {
      EXPECT_NE(std::string(e.what()).find("mine.yaml"), std::string::npos) << e.what();
    }
  }
}

TEST(SamplingParams, MergeAndAssignments) {
  auto merged = merge_sampling_params({{"temperature", 0.7}, {"top_k", 40}}, {{"temperature", 0.1}});
  EXPECT_DOUBLE_EQ(merged["temperature"].get<double>(), 0.1);
  EXPECT_EQ(merged["top_k"], 40);
  EXPECT_EQ(parse_param_assignment("top_k=5").second, 5);
  EXPECT_EQ(parse_param_assignment("stop=[\"a\"]").second[0], "a");
  EXPECT_EQ(parse_param_assignment("stop=END").second, "END");
  EXPECT_THROW(parse_param_assignment("=5"), InvalidInput);
  EXPECT_THROW(parse_param_assignment("top_k"), InvalidInput);
}

using TemplateRegistryTest = RegistryTest;

TEST_F(TemplateRegistryTest, VersionsAreImmutableAndNumbered) {
  TemplateRegistry templates(catalog());
  auto t1 = templates.set("chat", TemplateSpec{"one", std::nullopt, {{"temperature", 0.5}}}, actor("ann"));
  auto t2 = templates.set("chat", TemplateSpec{"two", "{{x}}", {{"temperature", 0.5}}}, actor("bob"));
  EXPECT_EQ(t1.label(), "chat:1");
  EXPECT_EQ(t2.label(), "chat:2");
  EXPECT_EQ(templates.get({"chat", 1}).spec.system_prompt, "one");
  EXPECT_EQ(templates.get({"chat", std::nullopt}).spec.chat_template, "{{x}}");
  EXPECT_EQ(templates.get({"chat", 2}).created_by, "bob");
  EXPECT_THROW(templates.get({"chat", 3}), NotFound);
  EXPECT_THROW(templates.get({"other", std::nullopt}), NotFound);
  EXPECT_THROW(templates.set("chat", t2.spec, actor("bob")), Conflict);
  EXPECT_THROW(templates.set("bad/name", t2.spec, actor("bob")), InvalidInput);
  EXPECT_EQ(templates.list().size(), 2u);
}

TEST_F(TemplateRegistryTest, DiffShowsTheChangedLines) {
  TemplateRegistry templates(catalog());
  auto a = templates.set("chat", TemplateSpec{"Be terse.\n", std::nullopt, {{"temperature", 0.2}, {"top_k", 40}}},
                         actor("ann"));
  auto b = templates.set("chat", TemplateSpec{"Be terse.\nAnswer in French.\n", std::nullopt,
                                              {{"temperature", 0.3}, {"top_k", 40}}},
                         actor("ann"));
  std::string diff = unified_diff(a.to_text(), b.to_text(), a.label(), b.label());
  EXPECT_NE(diff.find("--- chat:1\n+++ chat:2\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("+Answer in French.\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("-temperature: 0.2\n+temperature: 0.3\n"), std::string::npos) << diff;
  EXPECT_EQ(diff.find("-top_k"), std::string::npos) << diff;
}

}  // namespace
}  // namespace cellar::registry::test
