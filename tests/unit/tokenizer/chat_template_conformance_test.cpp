// Every rendering in refdata/templates/expected.jsonl, byte for byte: real
// model templates rendered by Hugging Face transformers (Jinja2 3.1.6).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "support/test_support.h"
#include "tokenizer/chat_template.h"

namespace cellar {
namespace {

TEST(ChatTemplateConformance, MatchesTransformersOnEveryReferenceLine) {
  CELLAR_REQUIRE_REFDATA();
  auto dir = test::refdata_dir() / "templates";
  std::ifstream in(dir / "expected.jsonl");
  ASSERT_TRUE(in.good()) << "missing " << (dir / "expected.jsonl");
  std::map<std::string, std::unique_ptr<ChatTemplate>> templates;
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::ordered_json::parse(line);
    std::string name = j.at("template");
    auto& tmpl = templates[name];
    if (!tmpl) tmpl = std::make_unique<ChatTemplate>(test::read_file(dir / name));
    ChatRenderOptions opts;
    opts.add_generation_prompt = j.at("add_generation_prompt");
    opts.bos_token = j.at("bos_token");
    opts.eos_token = j.at("eos_token");
    SCOPED_TRACE(name + " " + j.at("conversation").get<std::string>());
    if (j.contains("error")) {
      EXPECT_THROW(tmpl->render(j.at("messages"), opts), jinja::TemplateError);
    } else {
      EXPECT_EQ(tmpl->render(j.at("messages"), opts), j.at("expected").get<std::string>());
    }
    ++checked;
  }
  EXPECT_EQ(checked, 16);
}

}  // namespace
}  // namespace cellar
