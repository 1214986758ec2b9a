// Whitespace control: trim_blocks, lstrip_blocks, -/+ modifiers, raw blocks,
// keep_trailing_newline=False.
// Expected strings were produced by Jinja2 3.1.6 in transformers' sandboxed
// environment (trim_blocks, lstrip_blocks, loopcontrols).
#include <gtest/gtest.h>

#include "jinja_render.h"
#include "tokenizer/jinja/template.h"

namespace cellar::jinja {
namespace {

using test::render;

TEST(JinjaWhitespace, TrimBlocksRemovesOneNewlineAfterBlockTags) {
  EXPECT_EQ(render("a\n{% if true %}\nb\n{% endif %}\nc"),
            "a\nb\nc");
  EXPECT_EQ(render("{% if true %}\n\n{% endif %}x"),
            "\nx");
  EXPECT_EQ(render("{# comment #}\nx"),
            "x");
  EXPECT_EQ(render("{% set x = 1 %}\n{{ x }}\n"),
            "1");
}

TEST(JinjaWhitespace, LstripBlocksRemovesIndentBeforeBlockTags) {
  EXPECT_EQ(render("a\n    {% if true %}\n    b\n    {% endif %}\nc"),
            "a\n    b\nc");
  EXPECT_EQ(render("  {% for i in [1, 2] %}\n  {{ i }}\n  {% endfor %}\n"),
            "  1\n  2\n");
  EXPECT_EQ(render("x  {% if true %}y{% endif %}"),
            "x  y");
  EXPECT_EQ(render("\t {# note #}\nz"),
            "z");
}

TEST(JinjaWhitespace, LstripBlocksDoesNotApplyToExpressions) {
  EXPECT_EQ(render("a\n  {{ 'x' }}\n  b"),
            "a\n  x\n  b");
  EXPECT_EQ(render("{{ 'a' }}  {% if true %}b{% endif %}"),
            "a  b");
}

TEST(JinjaWhitespace, MinusModifiersStripAllWhitespace) {
  EXPECT_EQ(render("a  \n  {{- 'x' -}}  \n  b"),
            "axb");
  EXPECT_EQ(render("a\n  {%- if true -%}\n  x  {%- endif %}\nb"),
            "axb");
  EXPECT_EQ(render("{% for i in [1, 2, 3] -%}\n  {{ i }}\n{%- endfor %}"),
            "123");
  EXPECT_EQ(render("a {#- c -#} b"),
            "ab");
}

TEST(JinjaWhitespace, PlusModifiersKeepWhitespace) {
  EXPECT_EQ(render("a\n  {%+ if true %}x{% endif %}"),
            "a\n  x");
  EXPECT_EQ(render("{% if true +%}\nx{% endif %}"),
            "\nx");
}

TEST(JinjaWhitespace, TrailingNewlineDropsExactlyOne) {
  EXPECT_EQ(render("x\n"),
            "x");
  EXPECT_EQ(render("x\n\n"),
            "x\n");
  EXPECT_EQ(render("x"),
            "x");
}

TEST(JinjaWhitespace, RawBlocksAreLiteral) {
  EXPECT_EQ(render("{% raw %}{{ x }} {% if %}{% endraw %}"),
            "{{ x }} {% if %}");
  EXPECT_EQ(render("a\n  {%- raw -%}\n  {{ y }}  \n  {%- endraw %}\nb"),
            "a{{ y }}b");
}

TEST(JinjaWhitespace, CarriageReturnsAreNormalised) {
  EXPECT_EQ(render("a\r\n{% if true %}\r\nb\r\n{% endif %}\r\n"),
            "a\nb\n");
}

}  // namespace
}  // namespace cellar::jinja
