#pragma once
// Renders chat messages into the prompt text a model expects, with its chat
// template (GGUF `tokenizer.chat_template`, or a file given with
// --chat-template), falling back to ChatML when the model has none.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace cellar {
class ChatTemplate;
}

namespace cellar::server {

class ChatPrompt {
 public:
  // `source` is the Jinja template; empty = ChatML. Throws jinja::TemplateError on a syntax error.
  ChatPrompt(std::string source, std::string bos_token, std::string eos_token);
  // Throws ApiError (400) when the template rejects the conversation.
  std::string render(const nlohmann::ordered_json& messages) const;
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::string bos_;
  std::string eos_;
  std::shared_ptr<const ChatTemplate> template_;
};

}  // namespace cellar::server
