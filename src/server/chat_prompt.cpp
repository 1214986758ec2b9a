#include "server/chat_prompt.h"

namespace cellar::server {

// ChatML (https://github.com/openai/openai-python/blob/release-v0.28.0/chatml.md),
// the conventional default for models without a template.
static const char* kChatMl =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + "
    "'\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

ChatPrompt::ChatPrompt(std::string source, std::string bos_token, std::string eos_token)
    : source_(source.empty() ? std::string(kChatMl) : std::move(source)), bos_(std::move(bos_token)),
      eos_(std::move(eos_token)) {}

std::string ChatPrompt::render(const nlohmann::ordered_json& messages) const {
  // Until the Jinja interpreter lands every template is rendered as ChatML.
  std::string out;
  for (const auto& m : messages) {
    out += "<|im_start|>" + m["role"].get<std::string>() + "\n" + m["content"].get<std::string>() + "<|im_end|>\n";
  }
  return out + "<|im_start|>assistant\n";
}

}  // namespace cellar::server
