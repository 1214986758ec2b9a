#include <gtest/gtest.h>

#include "server/api_error.h"
#include "server/chat_prompt.h"

namespace cellar::server {
namespace {

using nlohmann::ordered_json;

TEST(ChatPrompt, ModelsWithoutATemplateGetChatMl) {
  ChatPrompt p("", "<s>", "</s>");
  ordered_json msgs = {{{"role", "system"}, {"content", "Be brief."}}, {{"role", "user"}, {"content", "Hi"}}};
  EXPECT_EQ(p.render(msgs),
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
}

TEST(ChatPrompt, UsesTheModelTemplateWithBosToken) {
  ChatPrompt p("{{ bos_token }}{% for m in messages %}[{{ m['role'] }}]{{ m['content'] }}{% endfor %}", "<s>", "</s>");
  EXPECT_EQ(p.render(ordered_json::array({{{"role", "user"}, {"content", "Hi"}}})), "<s>[user]Hi");
}

TEST(ChatPrompt, TemplateRaiseIsA400) {
  ChatPrompt p("{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}",
               "", "");
  try {
    p.render(ordered_json::array({{{"role", "system"}, {"content", "x"}}}));
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), 400);
    EXPECT_NE(std::string(e.what()).find("System role not supported"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cellar::server
