// Expressions: precedence, Python arithmetic and printing, literals, comparison,
// slicing, attribute/item lookup, tests and globals.
// Expected strings were produced by Jinja2 3.1.6 in transformers' sandboxed
// environment (trim_blocks, lstrip_blocks, loopcontrols).
#include <gtest/gtest.h>

#include "jinja_render.h"
#include "tokenizer/jinja/template.h"

namespace cellar::jinja {
namespace {

using test::render;

TEST(JinjaExpressions, OperatorPrecedence) {
  EXPECT_EQ(render("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 ** 2 }} {{ -2 ** 2 }} {{ 10 - 2 - 3 }}"),
            "7 9 64 4 5");
  EXPECT_EQ(render("{{ not true or true }} {{ not (true or true) }} {{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }}"),
            "True False True False");
  EXPECT_EQ(render("{{ 'a' ~ 1 * 2 }} {{ (1 + 2) ~ 'b' }} {{ 2 ~ 3 * 2 }} {{ -1 | abs }} {{ not 1 == 2 }} {{ 'a' ~ (1 + 2) }}"),
            "a2 3b 26 1 True a3");
  EXPECT_EQ(render("{{ 'x' if 2 > 1 else 'y' ~ 'z' }}|{{ 'a' if 0 else 'b' if 1 else 'c' }}|{{ 'only if' if false }}|"),
            "x|b||");
}

TEST(JinjaExpressions, ArithmeticFollowsPython) {
  EXPECT_EQ(render("{{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 10 / 4 }} {{ 10 / 5 }} {{ 2 ** -1 }} {{ 7.5 // 2 }} {{ -7.5 % 2 }}"),
            "3 -4 2 -2 2.5 2.0 0.5 3.0 0.5");
  EXPECT_EQ(render("{{ 'ab' * 3 }} {{ 3 * 'ab' }} {{ [1] * 3 }} {{ [1] + [2, 3] }} {{ 'a' + 'b' }} {{ (1,) + (2,) }}"),
            "ababab ababab [1, 1, 1] [1, 2, 3] ab (1, 2)");
  EXPECT_EQ(render("{{ '%s-%d-%.2f-%%' % ('a', 3, 3.14159) }} {{ 'x=%s' % 5 }}"),
            "a-3-3.14-% x=5");
}

TEST(JinjaExpressions, PrintsValuesLikePython) {
  EXPECT_EQ(render("{{ 1 }} {{ 1.0 }} {{ 1.5 }} {{ 1e20 }} {{ 1e16 }} {{ 1e15 }} {{ 0.1 + 0.2 }} {{ 1/3 }} {{ 1e-5 }} {{ 0.0001 }} {{ -0.0 }}"),
            "1 1.0 1.5 1e+20 1e+16 1000000000000000.0 0.30000000000000004 0.3333333333333333 1e-05 0.0001 -0.0");
  EXPECT_EQ(render("{{ none }} {{ true }} {{ false }} {{ undefined_name }}|"),
            "None True False |");
  EXPECT_EQ(render("{{ [1, 'a', none, true, 1.5] }} {{ {'a': 1, 'b': [1, 2], 'c': {'d': none}} }} {{ (1,) }} {{ (1, 'x') }} {{ () }} {{ [] }} {{ {} }}"),
            "[1, 'a', None, True, 1.5] {'a': 1, 'b': [1, 2], 'c': {'d': None}} (1,) (1, 'x') () [] {}");
  EXPECT_EQ(render("{{ ['it\\'s', \"q\\\"x\", 'a\\nb', '\\\\', 'both \\' \"'] }}"),
            "[\"it's\", 'q\"x', 'a\\nb', '\\\\', 'both \\' \"']");
  EXPECT_EQ(render("{{ messages[1] }}", R"json({"messages": [{"role": "system", "content": "hello world"}, {"role": "user", "content": "Héllo 你好 👋"}]})json"),
            "{'role': 'user', 'content': 'Héllo 你好 👋'}");
}

TEST(JinjaExpressions, Literals) {
  EXPECT_EQ(render("{{ \"a\\tb\\u00e9\\x41\\n\" }}|{{ 'it''s' }}|{{ 'adjacent' \" strings\" }}|{{ 1_000 }} {{ 0x1F }} {{ 1.5e3 }}"),
            "a\tbéA\n|its|adjacent strings|1000 31 1500.0");
  EXPECT_EQ(render("{{ [1, 2,] }} {{ {'k': 'v',} }} {{ (1, 2) }} {{ true }}{{ True }}{{ none }}{{ None }}"),
            "[1, 2] {'k': 'v'} (1, 2) TrueTrueNoneNone");
}

TEST(JinjaExpressions, ComparisonAndMembership) {
  EXPECT_EQ(render("{{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' == 'a' }} {{ [1] == [1] }} {{ (1, 2) == [1, 2] }} {{ {'a': 1, 'b': 2} == {'b': 2, 'a': 1} }} {{ none == none }}"),
            "True True True True False True True");
  EXPECT_EQ(render("{{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 2 >= 2.0 }} {{ 1 != 2 }}"),
            "True True True True");
  EXPECT_EQ(render("{{ 'at' in 'cat' }} {{ 1 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'z' not in 'cat' }} {{ 1 in undefined_name }}"),
            "True True True True False");
  EXPECT_EQ(render("{{ 'tool_calls' in messages[0] }} {{ 'role' in messages[0] }}", R"json({"messages": [{"role": "system", "content": "hello world"}, {"role": "user", "content": "Héllo 你好 👋"}]})json"),
            "False True");
}

TEST(JinjaExpressions, BooleanOperatorsReturnOperands) {
  EXPECT_EQ(render("{{ true and 'x' }} {{ 0 or 'y' }} {{ '' or [] }} {{ none and 1 }} {{ 'a' or undefined_name }}"),
            "x y [] None a");
}

TEST(JinjaExpressions, SlicingAndIndexing) {
  EXPECT_EQ(render("{{ 'hello'[1:3] }} {{ 'hello'[::-1] }} {{ 'hello'[-2:] }} {{ 'hello'[:-1] }} {{ 'abcdef'[4:1:-1] }} {{ 'abc'[10:] }}|"),
            "el olleh lo hell edc |");
  EXPECT_EQ(render("{{ [1, 2, 3, 4, 5][::2] }} {{ [1, 2, 3][5:] }} {{ [1, 2, 3][-1] }} {{ [1, 2][10] }}| {{ [1, 2, 3][::-2] }}"),
            "[1, 3, 5] [] 3 | [3, 1]");
  EXPECT_EQ(render("{{ messages[1].content[0] }} {{ messages[1].content[-1] }} {{ messages[1].content[1:3] }} {{ messages[1].content[::-1] }}", R"json({"messages": [{"role": "system", "content": "hello world"}, {"role": "user", "content": "Héllo 你好 👋"}]})json"),
            "H 👋 él 👋 好你 olléH");
}

TEST(JinjaExpressions, AttributeVersusItemAccess) {
  EXPECT_EQ(render("{{ messages[0].content }} {{ messages[0]['role'] }} {{ messages[0].missing }}| {{ messages[0].content.upper() }}", R"json({"messages": [{"role": "system", "content": "hello world"}, {"role": "user", "content": "Héllo 你好 👋"}]})json"),
            "hello world system | HELLO WORLD");
  EXPECT_EQ(render("{{ {'a': 1}.a }} {{ {'a': 1}['a'] }} {{ {'items': 1}['items'] }} {{ {'a': 1}.get('a') }} {{ {'a': 1}.get('b', 'dflt') }} {{ {'a': 1}.get('b') }}"),
            "1 1 1 1 dflt None");
  EXPECT_EQ(render("{{ none.attr }}|{{ 5.attr }}|{{ [1, 2].first }}|"),
            "|||");
}

TEST(JinjaExpressions, Tests) {
  EXPECT_EQ(render("{{ 1 is number }}{{ 1.0 is float }}{{ 1 is integer }}{{ true is integer }}{{ true is boolean }}{{ 'a' is string }}"),
            "TrueTrueTrueFalseTrueTrue");
  EXPECT_EQ(render("{{ {} is mapping }}{{ [] is iterable }}{{ 'a' is iterable }}{{ none is iterable }}{{ x is iterable }}{{ [] is sequence }}"),
            "TrueTrueTrueFalseTrueTrue");
  EXPECT_EQ(render("{{ 3 is odd }}{{ 4 is even }}{{ 6 is divisibleby 3 }}{{ 6 is divisibleby(4) }}{{ none is none }}{{ true is true }}{{ 1 is true }}{{ false is false }}"),
            "TrueTrueTrueFalseTrueTrueFalseTrue");
  EXPECT_EQ(render("{{ range is callable }}{{ 1 is equalto 1 }}{{ 1 is eq 2 }}{{ 1 is ne 2 }}{{ 2 is gt 1 }}{{ 2 is lt 1 }}{{ 2 is ge 2 }}{{ 2 is in [1, 2] }}{{ 'a' is lower }}{{ 'A' is upper }}"),
            "TrueTrueFalseTrueTrueFalseTrueTrueTrueTrue");
  EXPECT_EQ(render("{{ x is defined }}{{ x is undefined }}{{ x is not defined }}{{ none is defined }}{{ 'upper' is filter }}{{ 'odd' is test }}"),
            "FalseTrueTrueTrueTrueTrue");
}

TEST(JinjaExpressions, Globals) {
  EXPECT_EQ(render("{{ range(5) | list }} {{ range(2, 5) | list }} {{ range(10, 0, -3) | list }}"),
            "[0, 1, 2, 3, 4] [2, 3, 4] [10, 7, 4, 1]");
  EXPECT_EQ(render("{{ dict(a=1, b=2) }} {{ dict([('x', 1)]) }} {{ namespace(a=1).a }}"),
            "{'a': 1, 'b': 2} {'x': 1} 1");
  EXPECT_EQ(render("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M %A %B %j') }}|{{ strftime_now('%-d') }}"),
            "26 Jul 2024|2024-07-26 00:00 Friday July 208|26");
  EXPECT_EQ(render("{% set j = joiner(' | ') %}{% for x in 'abc' %}{{ j() }}{{ x }}{% endfor %}"),
            "a | b | c");
}

}  // namespace
}  // namespace cellar::jinja
