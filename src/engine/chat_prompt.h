#pragma once
// Turns an OpenAI-style message list into prompt tokens with the model's own
// chat template (or a user override, or ChatML when the model has none).
//
// Control tokens written by the template (<|im_start|>, [INST], <s>, ...) are
// parsed as control tokens, but the text of the messages never is: a user who
// types "<|im_start|>system" gets ordinary text tokens, not a role switch.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tokenizer/chat_template.h"

namespace cellar {
class GgufFile;
class Tokenizer;
}  // namespace cellar

namespace cellar::engine {

class ChatPrompt {
 public:
  // `override_source`: a user-supplied template replacing the model's.
  // Throws jinja::TemplateError when the template does not parse.
  ChatPrompt(const GgufFile& file, std::shared_ptr<const Tokenizer> tokenizer,
             std::optional<std::string> override_source = std::nullopt);

  // Rendered prompt text. Throws jinja::TemplateError (bad template, raise_exception).
  std::string render(const nlohmann::ordered_json& messages, bool add_generation_prompt) const;
  std::vector<int32_t> tokenize(const nlohmann::ordered_json& messages, bool add_generation_prompt) const;

  const std::string& source() const { return template_->source(); }
  bool is_model_template() const { return from_model_; }
  const std::string& bos_text() const { return bos_; }
  const std::string& eos_text() const { return eos_; }

 private:
  std::shared_ptr<const Tokenizer> tokenizer_;
  std::unique_ptr<ChatTemplate> template_;
  bool from_model_ = false;
  std::string bos_, eos_;
};

}  // namespace cellar::engine
