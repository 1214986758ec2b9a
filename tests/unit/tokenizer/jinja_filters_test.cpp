// Filters (including transformers' tojson) and the str/dict/list methods the
// sandbox allows.
// Expected strings were produced by Jinja2 3.1.6 in transformers' sandboxed
// environment (trim_blocks, lstrip_blocks, loopcontrols).
#include <gtest/gtest.h>

#include "jinja_render.h"
#include "tokenizer/jinja/template.h"

namespace cellar::jinja {
namespace {

using test::render;

TEST(JinjaFilters, StringFilters) {
  EXPECT_EQ(render("{{ '  a b  ' | trim }}|{{ 'xxaxx' | trim('x') }}|{{ 'hello wORLD-x(y' | title }}|{{ 'hELLO' | capitalize }}|{{ 'abc' | upper }}|{{ 'ABC' | lower }}"),
            "a b|a|Hello World-X(Y|Hello|ABC|abc");
  EXPECT_EQ(render("{{ 'aaa' | replace('a', 'b') }}|{{ 'aaa' | replace('a', 'b', 2) }}|{{ 'ab' | replace('', '-') }}"),
            "bbb|bba|-a-b-");
  EXPECT_EQ(render("{{ 'a\\nb\\n\\nc' | indent }}|{{ 'a\\nb' | indent(2, true) }}|{{ 'a\\n\\nb' | indent(2, blank=true) }}|{{ 'a\\nb' | indent('> ') }}"),
            "a\n    b\n\n    c|  a\n  b|a\n  \n  b|a\n> b");
  EXPECT_EQ(render("{{ 'one two  three_3' | wordcount }}|{{ '<a & \"b\">' | e }}|{{ '<x>' | safe }}|{{ 1 | string }}|{{ none | string }}|{{ [1] | string }}"),
            "3|&lt;a &amp; &#34;b&#34;&gt;|<x>|1|None|[1]");
  EXPECT_EQ(render("{{ '%s-%d' | format('a', 3) }}|{{ 'x' | center(5) }}|{{ 'ÉCOLE' | lower }}|{{ 'straße' | upper }}|{{ 'a long sentence here' | truncate(9) }}"),
            "a-3|  x  |école|STRASSE|a...");
}

TEST(JinjaFilters, NumberFilters) {
  EXPECT_EQ(render("{{ '42' | int }}|{{ '4.7' | int }}|{{ 'abc' | int }}|{{ 'abc' | int(7) }}|{{ 3.9 | int }}|{{ true | int }}|{{ '0x1A' | int(0, 16) }}"),
            "42|4|0|7|3|1|26");
  EXPECT_EQ(render("{{ '3.5' | float }}|{{ 'x' | float }}|{{ 3 | float }}|{{ -3 | abs }}|{{ -2.5 | abs }}"),
            "3.5|0.0|3.0|3|2.5");
  EXPECT_EQ(render("{{ 2.5 | round }}|{{ 3.5 | round }}|{{ 3.14159 | round(2) }}|{{ 3.14159 | round(2, 'floor') }}|{{ 3.1 | round(0, 'ceil') }}|{{ 5 | round }}|{{ 2.675 | round(2) }}"),
            "2.0|4.0|3.14|3.14|4.0|5|2.67");
}

TEST(JinjaFilters, SequenceFilters) {
  EXPECT_EQ(render("{{ [1, 2, 3] | join(', ') }}|{{ [1, 'a', none] | join }}|{{ [1, 2, 3] | first }}|{{ [1, 2, 3] | last }}|{{ [] | first }}|{{ 'abc' | list }}"),
            "1, 2, 3|1aNone|1|3||['a', 'b', 'c']");
  EXPECT_EQ(render("{{ [3, 1, 2] | sort }}|{{ [3, 1, 2] | sort(reverse=true) }}|{{ ['b', 'A', 'a', 'B'] | sort }}|{{ ['b', 'A', 'a', 'B'] | sort(case_sensitive=true) }}"),
            "[1, 2, 3]|[3, 2, 1]|['A', 'a', 'b', 'B']|['A', 'B', 'a', 'b']");
  EXPECT_EQ(render("{{ [{'a': 2}, {'a': 1}] | sort(attribute='a') }}|{{ [1, 2, 2, 3, 1] | unique | list }}|{{ ['a', 'A', 'b'] | unique | list }}|{{ [1, 2, 3] | reverse | list }}|{{ 'abc' | reverse }}"),
            "[{'a': 1}, {'a': 2}]|[1, 2, 3]|['a', 'b']|[3, 2, 1]|cba");
  EXPECT_EQ(render("{{ [1, 2, 3] | sum }}|{{ [1, 2, 3] | max }}|{{ [1, 2, 3] | min }}|{{ ['a', 'B', 'c'] | max }}|{{ [{'n': 2}, {'n': 5}] | sum(attribute='n') }}|{{ [{'n': 2}, {'n': 5}] | max(attribute='n') }}"),
            "6|3|1|c|7|{'n': 5}");
  EXPECT_EQ(render("{{ [1, 2, 3, 4, 5] | batch(2) | list }}|{{ [1, 2, 3] | batch(2, 0) | list }}|{{ {'b': 1, 'a': 2} | dictsort }}|{{ {'b': 1, 'a': 2} | dictsort(by='value') }}|{{ {'b': 1, 'a': 2} | items | list }}"),
            "[[1, 2], [3, 4], [5]]|[[1, 2], [3, 0]]|[('a', 2), ('b', 1)]|[('b', 1), ('a', 2)]|[('b', 1), ('a', 2)]");
  EXPECT_EQ(render("{{ messages | length }}|{{ 'héllo' | length }}|{{ {'a': 1} | length }}|{{ x | length }}|{{ messages | count }}", R"json({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, {"role": "user", "content": "u2"}]})json"),
            "4|5|1|0|4");
}

TEST(JinjaFilters, SelectRejectAndMap) {
  EXPECT_EQ(render("{{ messages | map(attribute='role') | join(',') }}|{{ messages | selectattr('role', 'equalto', 'user') | list | length }}|{{ messages | rejectattr('role', 'eq', 'user') | map(attribute='content') | list }}", R"json({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, {"role": "user", "content": "u2"}]})json"),
            "system,user,assistant,user|2|['S', 'a1']");
  EXPECT_EQ(render("{{ [1, 2, 3, 4] | select('odd') | list }}|{{ [1, 2, 3, 4] | reject('even') | list }}|{{ ['a', 'b'] | map('upper') | list }}|{{ [0, 1, '', none, 'x'] | select | list }}"),
            "[1, 3]|[1, 3]|['A', 'B']|[1, 'x']");
  EXPECT_EQ(render("{{ [{'a': {'b': 1}}, {'a': {'b': 2}}] | map(attribute='a.b') | list }}|{{ [[1, 2], [3, 4]] | map(attribute='1') | list }}|{{ [{'a': 1}, {}] | map(attribute='a', default='?') | list }}"),
            "[1, 2]|[2, 4]|[1, '?']");
  EXPECT_EQ(render("{{ [1, 2, 3] | select('gt', 1) | list }}|{{ ['x', 1] | select('string') | list }}|{{ [1, 2] | map('string') | join('-') }}|{{ [' a ', 'b '] | map('trim') | list }}"),
            "[2, 3]|['x']|1-2|['a', 'b']");
  EXPECT_EQ(render("{% for role, items in messages | groupby('role') %}{{ role }}:{{ items | map(attribute='content') | join(',') }};{% endfor %}", R"json({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, {"role": "user", "content": "u2"}]})json"),
            "assistant:a1;system:S;user:u1,u2;");
}

TEST(JinjaFilters, IteratorFiltersBehaveLikePythonGenerators) {
  EXPECT_EQ(render("{% if messages | selectattr('role', 'equalto', 'nobody') %}truthy{% endif %}|{% set g = messages | map(attribute='role') %}{{ g | join(',') }}|{{ g | join(',') }}|{{ g is sequence }}{{ g is iterable }}", R"json({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, {"role": "user", "content": "u2"}]})json"),
            "truthy|system,user,assistant,user||FalseTrue");
  EXPECT_EQ(render("{{ (messages | selectattr('role', 'equalto', 'user'))[0] }}|{{ messages | selectattr('role', 'equalto', 'user') | first }}|{{ messages | reverse | map(attribute='content') | join }}", R"json({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, {"role": "user", "content": "u2"}]})json"),
            "|{'role': 'user', 'content': 'u1'}|u2a1u1S");
}

TEST(JinjaFilters, DefaultFilter) {
  EXPECT_EQ(render("{{ x | default('d') }}|{{ none | default('d') }}|{{ '' | default('d', true) }}|{{ x | d('dd') }}|{{ 0 | default(5, boolean=true) }}|{{ 'set' | default('d') }}"),
            "d|None|d|dd|5|set");
}

TEST(JinjaFilters, TojsonMatchesPythonJsonDumps) {
  EXPECT_EQ(render("{{ {'a': 1, 'b': [1, 2.5, none, true], 'c': 'é\"<>&\\''} | tojson }}"),
            "{\"a\": 1, \"b\": [1, 2.5, null, true], \"c\": \"é\\\"<>&'\"}");
  EXPECT_EQ(render("{{ {'a': {'b': []}, 'c': {}, 'd': [1, {'e': 'f'}]} | tojson(indent=2) }}"),
            "{\n  \"a\": {\n    \"b\": []\n  },\n  \"c\": {},\n  \"d\": [\n    1,\n    {\n      \"e\": \"f\"\n    }\n  ]\n}");
  EXPECT_EQ(render("{{ {'b': 1, 'a': {'d': 1, 'c': 2}} | tojson(sort_keys=true) }}|{{ [1, {'a': 2}] | tojson(separators=(',', ':')) }}"),
            "{\"a\": {\"c\": 2, \"d\": 1}, \"b\": 1}|[1,{\"a\":2}]");
  EXPECT_EQ(render("{{ 'é😀' | tojson(ensure_ascii=true) }}|{{ 'a\\u0001\\u007f\\n\\t\\\\' | tojson }}|{{ none | tojson }}|{{ 1.0 | tojson }}|{{ 1e100 | tojson }}"),
            "\"\\u00e9\\ud83d\\ude00\"|\"a\\u0001\\n\\t\\\\\"|null|1.0|1e+100");
  EXPECT_EQ(render("{{ messages[:2] | tojson }}", R"json({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, {"role": "user", "content": "u2"}]})json"),
            "[{\"role\": \"system\", \"content\": \"S\"}, {\"role\": \"user\", \"content\": \"u1\"}]");
}

TEST(JinjaFilters, StringMethods) {
  EXPECT_EQ(render("{{ '  x  '.strip() }}|{{ 'xxyxx'.strip('x') }}|{{ '  x'.lstrip() }}|{{ 'x  '.rstrip() }}|{{ 'abc\\n\\n'.rstrip('\\n') }}|{{ '\\n\\nabc'.lstrip('\\n') }}"),
            "x|y|x|x|abc|abc");
  EXPECT_EQ(render("{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a,b,c'.split(',', 1) }}|{{ 'a,b,c'.rsplit(',', 1) }}|{{ '  a b  '.split(None, 1) }}|{{ 'x</think>y'.split('</think>')[-1] }}"),
            "['a', 'b', '', 'c']|['a', 'b']|['a', 'b,c']|['a,b', 'c']|['a', 'b  ']|y");
  EXPECT_EQ(render("{{ 'abc'.startswith('ab') }}|{{ 'abc'.endswith(('x', 'c')) }}|{{ 'hello world-2nd'.title() }}|{{ 'aXb'.replace('X', '-') }}|{{ 'abcabc'.find('c') }}|{{ 'abcabc'.count('b') }}"),
            "True|True|Hello World-2Nd|a-b|2|2");
  EXPECT_EQ(render("{{ '-'.join(['a', 'b']) }}|{{ 'a\\nb\\r\\nc'.splitlines() }}|{{ '{} and {}'.format(1, 'x') }}|{{ '{0}{1}{0}'.format('a', 'b') }}|{{ '{n}!'.format(n='x') }}|{{ '12'.isdigit() }}|{{ 'ab'.isalpha() }}|{{ 'ß'.upper() }}"),
            "a-b|['a', 'b', 'c']|1 and x|aba|x!|True|True|SS");
  EXPECT_EQ(render("{{ {'a': 1, 'b': 2}.keys() | list }}|{{ {'a': 1, 'b': 2}.values() | list }}|{{ {'a': 1}.items() | list }}|{{ [1, 2, 1].count(1) }}|{{ [1, 2].index(2) }}"),
            "['a', 'b']|[1, 2]|[('a', 1)]|2|1");
}

}  // namespace
}  // namespace cellar::jinja
