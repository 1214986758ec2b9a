// The chat-template API: the variables transformers passes, ChatML default,
// extra context, parse-once/render-many and concurrent rendering.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tokenizer/chat_template.h"

namespace cellar {
namespace {

nlohmann::ordered_json conversation() {
  return nlohmann::ordered_json::parse(R"([
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Hi"},
    {"role": "assistant", "content": "Hello!"},
    {"role": "user", "content": "Bye"}])");
}

TEST(ChatTemplate, ChatMlDefaultRendersEveryMessageAndThePrompt) {
  ChatRenderOptions opts;
  EXPECT_EQ(render_chat(kChatMlTemplate, conversation(), opts),
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
            "<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n"
            "<|im_start|>assistant\n");
  opts.add_generation_prompt = false;
  std::string out = render_chat(kChatMlTemplate, conversation(), opts);
  EXPECT_EQ(out.substr(out.size() - 14), "Bye<|im_end|>\n");
}

TEST(ChatTemplate, PassesTokensAndTransformersVariables) {
  ChatRenderOptions opts;
  opts.bos_token = "<s>";
  opts.eos_token = "</s>";
  opts.add_generation_prompt = false;
  const char* src =
      "{{ bos_token }}|{{ eos_token }}|{{ add_generation_prompt }}|{{ messages | length }}|"
      "{{ tools is defined }}{{ tools is none }}{{ documents is none }}|{{ enable_thinking is defined }}";
  EXPECT_EQ(render_chat(src, conversation(), opts), "<s>|</s>|False|4|TrueTrueTrue|False");
}

TEST(ChatTemplate, ExtraContextAddsAndOverridesVariables) {
  ChatRenderOptions opts;
  opts.extra_context = nlohmann::ordered_json::parse(
      R"({"enable_thinking": false, "tools": [{"type": "function", "function": {"name": "f"}}]})");
  const char* src =
      "{% if enable_thinking is false %}no-think{% endif %}|"
      "{% for t in tools %}{{ t.function.name }}{{ t | tojson }}{% endfor %}";
  EXPECT_EQ(render_chat(src, conversation(), opts),
            "no-think|f{\"type\": \"function\", \"function\": {\"name\": \"f\"}}");
}

TEST(ChatTemplate, ParsesOnceAndRendersMany) {
  ChatTemplate tmpl("{% for m in messages %}{{ m.role[0] }}{% endfor %}{{ eos_token }}");
  ChatRenderOptions opts;
  opts.eos_token = "!";
  EXPECT_EQ(tmpl.render(conversation(), opts), "suau!");
  auto two = nlohmann::ordered_json::parse(R"([{"role": "user", "content": "x"}])");
  EXPECT_EQ(tmpl.render(two, opts), "u!");
  EXPECT_EQ(tmpl.source(), "{% for m in messages %}{{ m.role[0] }}{% endfor %}{{ eos_token }}");
}

TEST(ChatTemplate, SyntaxErrorSurfacesAtConstruction) {
  EXPECT_THROW(ChatTemplate("{% for m in messages %}"), jinja::TemplateError);
}

TEST(ChatTemplate, MessagesKeepExtraFieldsAndJsonTypes) {
  auto msgs = nlohmann::ordered_json::parse(R"([
    {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "function": {"name": "get", "arguments": {"x": 1.5, "ok": true}}}]}])");
  const char* src =
      "{% for m in messages %}{{ m.content is none }}|{% for c in m.tool_calls %}{{ c.function.name }}"
      "{{ c.function.arguments | tojson }}{{ c.function.arguments.x * 2 }}{% endfor %}{% endfor %}";
  EXPECT_EQ(render_chat(src, msgs, {}), "True|get{\"x\": 1.5, \"ok\": true}3.0");
}

TEST(ChatTemplate, RendersConcurrentlyFromOneParsedTemplate) {
  ChatTemplate tmpl{std::string(kChatMlTemplate)};
  ChatRenderOptions opts;
  std::string expected = tmpl.render(conversation(), opts);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (tmpl.render(conversation(), opts) != expected) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace cellar
