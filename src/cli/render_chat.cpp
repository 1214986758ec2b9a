// `cellar render-chat`: render a conversation with a model's chat template
// (from a GGUF's tokenizer.chat_template or a .jinja file) and print the
// prompt text exactly, with no trailing newline added.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "cli/command.h"
#include "gguf/gguf_file.h"
#include "tokenizer/chat_template.h"

namespace cellar::cli {
namespace {

struct RenderChatOptions {
  std::string model;
  std::string template_file;
  std::string messages_file;
  std::string context_file;
  bool add_generation_prompt = false;
  std::optional<std::string> bos;
  std::optional<std::string> eos;
};

std::string read_text(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(std::string("cannot read ") + what + " '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::ordered_json read_json(const std::string& path, const char* what) {
  std::string text = read_text(path, what);
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(std::string(what) + " '" + path + "' is not valid JSON: " + e.what());
  }
}

void validate_messages(const nlohmann::ordered_json& messages, const std::string& path) {
  if (!messages.is_array()) {
    throw std::runtime_error("messages file '" + path + "' must hold a JSON array of {role, content} objects");
  }
  for (size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    if (!m.is_object()) throw std::runtime_error("message " + std::to_string(i) + " is not a JSON object");
    if (!m.contains("role") || !m["role"].is_string()) {
      throw std::runtime_error("message " + std::to_string(i) + " has no string \"role\"");
    }
  }
}

// Token text by id from the GGUF vocabulary (empty when absent).
std::string special_token(const GgufFile& f, const char* id_key) {
  auto id = f.get_int(id_key);
  auto tokens = f.get_string_array("tokenizer.ggml.tokens");
  if (!id || !tokens || *id < 0 || static_cast<size_t>(*id) >= tokens->size()) return "";
  return std::string((*tokens)[static_cast<size_t>(*id)]);
}

int run_render_chat(const RenderChatOptions& o) {
  std::string source;
  ChatRenderOptions opts;
  if (!o.model.empty()) {
    auto f = GgufFile::open(o.model);
    source = f->get_string("tokenizer.chat_template").value_or(std::string(kChatMlTemplate));
    opts.bos_token = special_token(*f, "tokenizer.ggml.bos_token_id");
    opts.eos_token = special_token(*f, "tokenizer.ggml.eos_token_id");
  } else {
    source = read_text(o.template_file, "template file");
  }
  if (o.bos) opts.bos_token = *o.bos;
  if (o.eos) opts.eos_token = *o.eos;
  opts.add_generation_prompt = o.add_generation_prompt;
  nlohmann::ordered_json messages = read_json(o.messages_file, "messages file");
  validate_messages(messages, o.messages_file);
  if (!o.context_file.empty()) {
    opts.extra_context = read_json(o.context_file, "context file");
    if (!opts.extra_context.is_object()) throw std::runtime_error("context file must hold a JSON object");
  }
  std::string out = ChatTemplate(std::move(source)).render(messages, opts);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return 0;
}

CommandRegistration reg_render_chat("render-chat", [](CLI::App& app) {
  auto* sub = app.add_subcommand("render-chat", "Render a conversation with a model's chat template");
  auto o = std::make_shared<RenderChatOptions>();
  auto* model = sub->add_option("-m,--model", o->model, "GGUF model whose tokenizer.chat_template to use");
  auto* tmpl = sub->add_option("--template", o->template_file, "Jinja chat template file");
  model->excludes(tmpl);
  sub->add_option("--messages", o->messages_file, "JSON array of {role, content} messages")->required();
  sub->add_option("--context", o->context_file, "JSON object of extra template variables (tools, ...)");
  sub->add_flag("--add-generation-prompt", o->add_generation_prompt, "End with the assistant turn's header");
  sub->add_option("--bos", o->bos, "BOS token text (default: the model's)");
  sub->add_option("--eos", o->eos, "EOS token text (default: the model's)");
  return [o]() {
    if (o->model.empty() && o->template_file.empty()) {
      throw std::runtime_error("render-chat needs -m MODEL.gguf or --template FILE.jinja");
    }
    return run_render_chat(*o);
  };
});

}  // namespace
}  // namespace cellar::cli
