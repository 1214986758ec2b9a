// Arbitrary bytes as a Jinja chat template (up to the first NUL) and as the
// content of the messages (after it): parsing and rendering either succeed or
// throw jinja::TemplateError — never crash, hang or run out of memory.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "tokenizer/chat_template.h"
#include "tokenizer/jinja/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string source = input.substr(0, nul);
  std::string content = nul == std::string::npos ? "Hello!" : input.substr(nul + 1);
  nlohmann::ordered_json messages = nlohmann::ordered_json::array();
  messages.push_back({{"role", "system"}, {"content", "Be brief."}});
  // Non-UTF-8 content would make nlohmann throw on dump, which is not what is tested here.
  try {
    messages.push_back({{"role", "user"}, {"content", content}});
    (void)messages.dump();
  } catch (const nlohmann::json::exception&) {
    messages[1]["content"] = "x";
  }
  cellar::ChatRenderOptions opts;
  opts.bos_token = "<s>";
  opts.eos_token = "</s>";
  try {
    cellar::ChatTemplate tmpl(source);
    volatile size_t n = tmpl.render(messages, opts).size();
    (void)n;
  } catch (const cellar::jinja::TemplateError&) {
  }
  return 0;
}
