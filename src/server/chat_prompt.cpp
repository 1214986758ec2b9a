#include "server/chat_prompt.h"

#include <memory>

#include "server/api_error.h"
#include "tokenizer/chat_template.h"

namespace cellar::server {

ChatPrompt::ChatPrompt(std::string source, std::string bos_token, std::string eos_token)
    : source_(source.empty() ? std::string(kChatMlTemplate) : std::move(source)), bos_(std::move(bos_token)),
      eos_(std::move(eos_token)), template_(std::make_shared<ChatTemplate>(source_)) {}

std::string ChatPrompt::render(const nlohmann::ordered_json& messages) const {
  ChatRenderOptions opts;
  opts.add_generation_prompt = true;
  opts.bos_token = bos_;
  opts.eos_token = eos_;
  try {
    return template_->render(messages, opts);
  } catch (const jinja::TemplateError& e) {
    // Templates raise on conversations they do not support (roles that do not
    // alternate, a system message where none is allowed): the caller can fix that.
    throw invalid_request(std::string("The model's chat template rejected the conversation: ") + e.what(),
                          "messages");
  }
}

}  // namespace cellar::server
