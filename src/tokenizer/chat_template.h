#pragma once
// Chat prompt rendering: a model's `tokenizer.chat_template` run through our
// Jinja interpreter with the variables transformers' apply_chat_template
// passes (messages, tools=None, documents=None, add_generation_prompt,
// bos_token, eos_token), byte-for-byte like transformers.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tokenizer/jinja/template.h"

namespace cellar {

// The ChatML template used when a model has none.
extern const std::string_view kChatMlTemplate;

struct ChatRenderOptions {
  bool add_generation_prompt = true;
  std::string bos_token;
  std::string eos_token;
  // Extra variables (tools, documents, enable_thinking, ...); they override the defaults.
  nlohmann::ordered_json extra_context = nlohmann::ordered_json::object();
};

// messages: OpenAI-style array of {role, content, ...}. Throws jinja::TemplateError.
std::string render_chat(std::string_view template_source, const nlohmann::ordered_json& messages,
                        const ChatRenderOptions& opts);

class ChatTemplate {
 public:
  // Parses once; throws jinja::TemplateError on a syntax error.
  explicit ChatTemplate(std::string source);

  std::string render(const nlohmann::ordered_json& messages, const ChatRenderOptions& opts) const;
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  jinja::Template template_;
};

}  // namespace cellar
