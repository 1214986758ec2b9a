// Statements: if/elif/else, for (loop variables, filters, else, unpacking),
// break/continue, set and its scoping, namespace, macro/call, filter, with.
// Expected strings were produced by Jinja2 3.1.6 in transformers' sandboxed
// environment (trim_blocks, lstrip_blocks, loopcontrols).
#include <gtest/gtest.h>

#include "jinja_render.h"
#include "tokenizer/jinja/template.h"

namespace cellar::jinja {
namespace {

using test::render;

TEST(JinjaStatements, IfElifElse) {
  EXPECT_EQ(render("{% if x %}a{% elif y %}b{% else %}c{% endif %}"),
            "c");
  EXPECT_EQ(render("{% if x %}a{% elif y %}b{% else %}c{% endif %}", R"json({"y": 1})json"),
            "b");
  EXPECT_EQ(render("{% if x %}a{% elif y %}b{% else %}c{% endif %}", R"json({"x": [0]})json"),
            "a");
  EXPECT_EQ(render("{% if x > 1 and not y or z %}T{% else %}F{% endif %}", R"json({"x": 2, "y": false, "z": false})json"),
            "T");
}

TEST(JinjaStatements, ForLoopVariables) {
  EXPECT_EQ(render("{% for m in messages %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}", R"json({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U1"}, {"role": "assistant", "content": "A1"}, {"role": "user", "content": "U2"}]})json"),
            "1043TrueFalse4;2132FalseFalse4;3221FalseFalse4;4310FalseTrue4;");
  EXPECT_EQ(render("{% for m in messages %}{{ loop.previtem.role if loop.previtem is defined else '-' }}>{{ loop.nextitem.role if loop.nextitem is defined else '-' }} {% endfor %}", R"json({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U1"}, {"role": "assistant", "content": "A1"}, {"role": "user", "content": "U2"}]})json"),
            "->user system>assistant user>user assistant>- ");
  EXPECT_EQ(render("{% for m in messages %}{{ loop.cycle('odd', 'even') }} {% endfor %}", R"json({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U1"}, {"role": "assistant", "content": "A1"}, {"role": "user", "content": "U2"}]})json"),
            "odd even odd even ");
  EXPECT_EQ(render("{% for x in [1, 1, 2, 2, 3] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}"),
            "123");
  EXPECT_EQ(render("{% for i in [1, 2] %}{% for j in [1, 2] %}{{ loop.depth }}{{ loop.index }}{% endfor %}{{ loop.index }} {% endfor %}"),
            "11121 11122 ");
}

TEST(JinjaStatements, ForLoopFilterAndElse) {
  EXPECT_EQ(render("{% for m in messages if m.role != 'system' %}{{ loop.index }}/{{ loop.length }}:{{ m.content }}{% if not loop.last %},{% endif %}{% endfor %}", R"json({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U1"}, {"role": "assistant", "content": "A1"}, {"role": "user", "content": "U2"}]})json"),
            "1/3:U1,2/3:A1,3/3:U2");
  EXPECT_EQ(render("{% for x in [] %}a{% else %}empty{% endfor %}"),
            "empty");
  EXPECT_EQ(render("{% for x in [1, 2] if x > 5 %}a{% else %}none passed{% endfor %}"),
            "none passed");
  EXPECT_EQ(render("{% for x in undefined_name %}a{% else %}undefined iterates as empty{% endfor %}"),
            "undefined iterates as empty");
}

TEST(JinjaStatements, ForLoopUnpackingAndIterables) {
  EXPECT_EQ(render("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}"),
            "a=1;b=2;");
  EXPECT_EQ(render("{% for k in {'a': 1, 'b': 2} %}{{ k }}{% endfor %}"),
            "ab");
  EXPECT_EQ(render("{% for (a, b) in [[1, 2], [3, 4]] %}{{ a * b }} {% endfor %}"),
            "2 12 ");
  EXPECT_EQ(render("{% for c in 'héllo👋' %}[{{ c }}]{% endfor %}"),
            "[h][é][l][l][o][👋]");
  EXPECT_EQ(render("{% for m in messages[::-1] %}{{ m.content }}{% endfor %}", R"json({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U1"}, {"role": "assistant", "content": "A1"}, {"role": "user", "content": "U2"}]})json"),
            "U2A1U1S");
}

TEST(JinjaStatements, RecursiveLoops) {
  EXPECT_EQ(render("{% for item in tree recursive %}{{ item.name }}{{ loop.depth }}{% if item.children %}({{ loop(item.children) }}){% endif %}{% endfor %}", R"json({"tree": [{"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}, {"name": "d"}]}, {"name": "e"}]})json"),
            "a1(b2(c3)d2)e1");
}

TEST(JinjaStatements, BreakAndContinue) {
  EXPECT_EQ(render("{% for i in range(10) %}{% if i is odd %}{% continue %}{% endif %}{% if i > 6 %}{% break %}{% endif %}{{ i }}{% endfor %}"),
            "0246");
  EXPECT_EQ(render("{% for i in range(3) %}{% for j in range(3) %}{% if j == 1 %}{% break %}{% endif %}{{ i }}{{ j }} {% endfor %}{% endfor %}"),
            "00 10 20 ");
}

TEST(JinjaStatements, SetScopesLikeJinja) {
  EXPECT_EQ(render("{% set x = 1 %}{% for i in [1, 2] %}{% set x = x + i %}{{ x }}{% endfor %}{{ x }}"),
            "231");
  EXPECT_EQ(render("{% if true %}{% set y = 'leaks out of if' %}{% endif %}{{ y }}"),
            "leaks out of if");
  EXPECT_EQ(render("{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set t = 1, 2 %}{{ t }}"),
            "12(1, 2)");
  EXPECT_EQ(render("{% set x %}  block {{ 1 + 1 }} {% endset %}[{{ x }}]"),
            "[  block 2 ]");
  EXPECT_EQ(render("{% set y | upper | trim %}  abc  {% endset %}[{{ y }}]"),
            "[ABC]");
}

TEST(JinjaStatements, NamespaceCarriesStateOutOfLoops) {
  EXPECT_EQ(render("{% set ns = namespace(found=false, n=0) %}{% for m in messages %}{% if m.role == 'user' %}{% set ns.found = true %}{% set ns.n = ns.n + 1 %}{% endif %}{% endfor %}{{ ns.found }} {{ ns.n }}", R"json({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U1"}, {"role": "assistant", "content": "A1"}, {"role": "user", "content": "U2"}]})json"),
            "True 2");
  EXPECT_EQ(render("{% set ns = namespace() %}{% set ns.items = [] %}{% for i in range(3) %}{% set ns.items = ns.items + [i] %}{% endfor %}{{ ns.items }}"),
            "[0, 1, 2]");
  EXPECT_EQ(render("{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}"),
            "12");
}

TEST(JinjaStatements, MacrosAndCallBlocks) {
  EXPECT_EQ(render("{% macro f(a, b='d', c=none) %}[{{ a }}|{{ b }}|{{ c }}]{% endmacro %}{{ f(1) }}{{ f(1, 2) }}{{ f(1, c=3) }}{{ f() }}"),
            "[1|d|None][1|2|None][1|d|3][|d|None]");
  EXPECT_EQ(render("{% macro f(a) %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ f(1, 2, 3, k=4) }}"),
            "(2, 3){'k': 4}");
  EXPECT_EQ(render("{% macro rec(n) %}{{ n }}{% if n > 0 %},{{ rec(n - 1) }}{% endif %}{% endmacro %}{{ rec(3) }}"),
            "3,2,1,0");
  EXPECT_EQ(render("{% macro wrap(x) %}<{{ caller(x * 2) }}>{% endmacro %}{% call(y) wrap(21) %}got {{ y }}{% endcall %}"),
            "<got 42>");
  EXPECT_EQ(render("{% macro m() %}[{{ caller() }}]{% endmacro %}{% call m() %}inner{% endcall %}"),
            "[inner]");
  EXPECT_EQ(render("{% set g = 'global' %}{% macro m() %}{{ g }}{% endmacro %}{{ m() }}"),
            "global");
}

TEST(JinjaStatements, FilterWithAndGenerationBlocks) {
  EXPECT_EQ(render("{% filter upper %}hello {{ 'world' }}{% endfilter %}"),
            "HELLO WORLD");
  EXPECT_EQ(render("{% filter trim | title %}  two words  {% endfilter %}"),
            "Two Words");
  EXPECT_EQ(render("{% with a = 5, b = 6 %}{{ a * b }}{% endwith %}[{{ a }}]"),
            "30[]");
}

}  // namespace
}  // namespace cellar::jinja
