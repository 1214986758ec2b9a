// Failures: syntax errors carry line and column, raise_exception carries the
// template's message, runtime type errors raise, and hostile templates stop
// on a budget instead of crashing or running forever.
#include <gtest/gtest.h>

#include <string>

#include "tokenizer/jinja/template.h"

namespace cellar::jinja {
namespace {

TemplateError render_error(std::string_view source, const char* context = "{}",
                           const RenderLimits& limits = {}) {
  try {
    Template::parse(source).render(nlohmann::ordered_json::parse(context), limits);
  } catch (const TemplateError& e) {
    return e;
  }
  ADD_FAILURE() << "rendering did not fail: " << source;
  return TemplateError(TemplateError::Kind::kRuntime, "no error");
}

TemplateError parse_error(std::string_view source) {
  try {
    Template::parse(source);
  } catch (const TemplateError& e) {
    EXPECT_EQ(e.kind(), TemplateError::Kind::kSyntax) << source;
    return e;
  }
  ADD_FAILURE() << "parsing did not fail: " << source;
  return TemplateError(TemplateError::Kind::kRuntime, "no error");
}

TEST(JinjaErrors, SyntaxErrorsReportLineAndColumn) {
  auto e = parse_error("line one\n  {% for x in %}");
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 15);
  EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos);

  e = parse_error("a\nb\n{{ x + }}");
  EXPECT_EQ(e.line(), 3);
}

TEST(JinjaErrors, UnclosedAndMismatchedBlocksFailToParse) {
  for (const char* src : {"{% for %}", "{% for x in y %}", "{% if x %}", "{% if x %}{% endfor %}",
                          "{% endif %}", "{% macro m() %}", "{{ x", "{{ (1 }}", "{{ [1, 2 }}",
                          "{{ 'unterminated }}", "{# unclosed", "{% raw %}no end", "{% else %}",
                          "{% set %}", "{% call m %}{% endcall %}"}) {
    SCOPED_TRACE(src);
    parse_error(src);
  }
}

TEST(JinjaErrors, UnknownTagsFiltersAndTestsFailToParse) {
  EXPECT_NE(parse_error("{% include 'x' %}").message().find("include"), std::string::npos);
  EXPECT_NE(parse_error("{{ x | nosuchfilter }}").message().find("nosuchfilter"), std::string::npos);
  EXPECT_NE(parse_error("{{ x is nosuchtest }}").message().find("nosuchtest"), std::string::npos);
  parse_error("{{ x is defined is defined }}");
}

TEST(JinjaErrors, RaiseExceptionCarriesTheTemplatesMessage) {
  auto e = render_error("{% if true %}{{ raise_exception('Roles must alternate!') }}{% endif %}");
  EXPECT_EQ(e.kind(), TemplateError::Kind::kRaised);
  EXPECT_EQ(std::string(e.what()), "Roles must alternate!");
}

TEST(JinjaErrors, RuntimeTypeErrorsRaise) {
  const char* cases[] = {
      "{% for t in tools %}{% endfor %}",  // iterating None
      "{% for x in 5 %}{% endfor %}",
      "{{ undefined_fn() }}",              // calling Undefined
      "{{ 'abc'() }}",
      "{{ undefined_name.attr }}",         // attribute of Undefined
      "{{ undefined_name + 'x' }}",
      "{{ 'a' + 1 }}",
      "{{ 1 // 0 }}",
      "{{ 'a' < 1 }}",
      "{{ none | length }}",
      "{{ 1 in 'abc' }}",
      "{{ [1].append(2) }}",               // the sandbox refuses mutation
      "{% set x = 1 %}{% set x.attr = 2 %}",
      "{% for a, b in [[1, 2, 3]] %}{% endfor %}",
      "{{ range(100001) | length }}",      // jinja2.sandbox.MAX_RANGE
      "{{ 9223372036854775807 + 1 }}",
      "{{ [1, 2] | select | length }}",    // filters return generators: no len()
      "{{ x | int }}",                     // Undefined refuses int()
      "{{ none | indent }}",
      "{% set n = none %}{{ n[1:] }}",     // slices are plain Python subscripts
  };
  for (const char* src : cases) {
    SCOPED_TRACE(src);
    auto e = render_error(src, R"({"tools": null})");
    EXPECT_EQ(e.kind(), TemplateError::Kind::kRuntime);
    EXPECT_GT(e.line(), 0);
  }
}

TEST(JinjaErrors, DeepNestingIsRefusedNotACrash) {
  std::string parens = "{{ " + std::string(50000, '(') + "1" + std::string(50000, ')') + " }}";
  parse_error(parens);
  std::string ifs;
  for (int i = 0; i < 5000; ++i) ifs += "{% if true %}";
  parse_error(ifs + "x");
  parse_error("{{ " + std::string(100000, '-') + "1 }}");
}

TEST(JinjaErrors, HostileTemplatesHitBudgets) {
  RenderLimits small;
  small.max_steps = 100000;
  EXPECT_NE(render_error("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                         "{}", small).message().find("step budget"), std::string::npos);
  EXPECT_NE(render_error("{{ 'a' * 1000000000 }}").message().find("exceeds"), std::string::npos);
  EXPECT_NE(render_error("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}").message().find("recursion"),
            std::string::npos);
  render_error("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}");
  render_error("{% set ns = namespace(l=[]) %}{% for i in range(10000) %}{% set ns.l = [ns.l] %}{% endfor %}");
  render_error("{% set ns = namespace() %}{% set ns.self = ns %}{{ ns }}");
  render_error("{% set ns = namespace() %}{% set ns.self = ns %}{{ ns | tojson }}");
}

TEST(JinjaErrors, DeeplyNestedInputIsRefused) {
  std::string deep = std::string(2000, '[') + std::string(2000, ']');
  auto ctx = "{\"x\": " + deep + "}";
  render_error("{{ x }}", ctx.c_str());
}

TEST(JinjaErrors, TemplateStaysUsableAfterAFailedRender) {
  auto t = Template::parse("{% if fail %}{{ raise_exception('no') }}{% endif %}ok");
  EXPECT_THROW(t.render(nlohmann::ordered_json{{"fail", true}}), TemplateError);
  EXPECT_EQ(t.render(nlohmann::ordered_json{{"fail", false}}), "ok");
}

}  // namespace
}  // namespace cellar::jinja
