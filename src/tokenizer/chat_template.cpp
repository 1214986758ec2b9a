#include "tokenizer/chat_template.h"

namespace cellar {

const std::string_view kChatMlTemplate =
    "{% for message in messages %}"
    "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

namespace {

nlohmann::ordered_json chat_context(const nlohmann::ordered_json& messages, const ChatRenderOptions& opts) {
  nlohmann::ordered_json ctx = nlohmann::ordered_json::object();
  ctx["messages"] = messages;
  ctx["tools"] = nullptr;
  ctx["documents"] = nullptr;
  ctx["add_generation_prompt"] = opts.add_generation_prompt;
  ctx["bos_token"] = opts.bos_token;
  ctx["eos_token"] = opts.eos_token;
  if (opts.extra_context.is_object()) {
    for (auto it = opts.extra_context.begin(); it != opts.extra_context.end(); ++it) {
      ctx[it.key()] = it.value();
    }
  }
  return ctx;
}

}  // namespace

std::string render_chat(std::string_view template_source, const nlohmann::ordered_json& messages,
                        const ChatRenderOptions& opts) {
  return jinja::Template::parse(template_source).render(chat_context(messages, opts));
}

ChatTemplate::ChatTemplate(std::string source)
    : source_(std::move(source)), template_(jinja::Template::parse(source_)) {}

std::string ChatTemplate::render(const nlohmann::ordered_json& messages, const ChatRenderOptions& opts) const {
  return template_.render(chat_context(messages, opts));
}

}  // namespace cellar
