// `cellar render-chat` end to end: the built binary prints exactly the
// rendered prompt, reads templates from GGUF files, and rejects bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "gguf/gguf_writer.h"
#include "support/test_support.h"

namespace cellar {
namespace {

struct RunResult {
  int exit_code;
  std::string out;
};

RunResult run_cellar(const std::string& args, const test::TempDir& dir) {
  std::string out_path = (dir / "stdout").string();
  std::string cmd = test::cellar_binary().string() + " " + args + " > " + out_path + " 2> " +
                    (dir / "stderr").string();
  int rc = std::system(cmd.c_str());
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, test::read_file(out_path)};
}

void write(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

#define REQUIRE_BINARY()                                                                \
  do {                                                                                  \
    if (!std::filesystem::exists(test::cellar_binary()))                                \
      GTEST_SKIP() << "build the `cellar` target first: " << test::cellar_binary();     \
  } while (0)

TEST(RenderChatCli, MatchesAReferenceRenderingByteForByte) {
  REQUIRE_BINARY();
  CELLAR_REQUIRE_REFDATA();
  auto dir = test::refdata_dir() / "templates";
  std::ifstream in(dir / "expected.jsonl");
  std::string line;
  std::getline(in, line);
  auto j = nlohmann::ordered_json::parse(line);
  ASSERT_FALSE(j.contains("error"));
  test::TempDir tmp;
  write(tmp / "messages.json", j.at("messages").dump());
  std::string args = "render-chat --template '" + (dir / j.at("template").get<std::string>()).string() +
                     "' --messages " + (tmp / "messages.json").string() + " --bos '" +
                     j.at("bos_token").get<std::string>() + "' --eos '" + j.at("eos_token").get<std::string>() + "'";
  if (j.at("add_generation_prompt").get<bool>()) args += " --add-generation-prompt";
  auto r = run_cellar(args, tmp);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, j.at("expected").get<std::string>());
}

TEST(RenderChatCli, ReadsTemplateAndSpecialTokensFromGguf) {
  REQUIRE_BINARY();
  test::TempDir tmp;
  GgufWriter w;
  w.set_string("general.architecture", "llama");
  w.set_string_array("tokenizer.ggml.tokens", {"<unk>", "<s>", "</s>"});
  w.set_u32("tokenizer.ggml.bos_token_id", 1);
  w.set_u32("tokenizer.ggml.eos_token_id", 2);
  w.set_string("tokenizer.chat_template",
               "{{ bos_token }}{% for m in messages %}[{{ m.role }}] {{ m.content }}{{ eos_token }}{% endfor %}");
  w.write((tmp / "model.gguf").string());
  write(tmp / "messages.json", R"([{"role": "user", "content": "hi"}])");
  auto r = run_cellar("render-chat -m " + (tmp / "model.gguf").string() + " --messages " +
                          (tmp / "messages.json").string(), tmp);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "<s>[user] hi</s>");
}

TEST(RenderChatCli, ModelWithoutTemplateGetsChatMl) {
  REQUIRE_BINARY();
  test::TempDir tmp;
  GgufWriter w;
  w.set_string("general.architecture", "llama");
  w.write((tmp / "model.gguf").string());
  write(tmp / "messages.json", R"([{"role": "user", "content": "hi"}])");
  auto r = run_cellar("render-chat -m " + (tmp / "model.gguf").string() + " --add-generation-prompt --messages " +
                          (tmp / "messages.json").string(), tmp);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
}

TEST(RenderChatCli, RejectsBadMessagesWithOneLineError) {
  REQUIRE_BINARY();
  test::TempDir tmp;
  write(tmp / "t.jinja", "{{ messages }}");
  for (const char* bad : {"not json", R"({"role": "user"})", R"([{"content": "no role"}])", "[1]"}) {
    SCOPED_TRACE(bad);
    write(tmp / "m.json", bad);
    auto r = run_cellar("render-chat --template " + (tmp / "t.jinja").string() + " --messages " +
                            (tmp / "m.json").string(), tmp);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(r.out, "");
    std::string err = test::read_file(tmp / "stderr");
    EXPECT_EQ(err.rfind("cellar: error: ", 0), 0u) << err;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  }
}

TEST(RenderChatCli, TemplateErrorsExitNonZero) {
  REQUIRE_BINARY();
  test::TempDir tmp;
  write(tmp / "m.json", R"([{"role": "user", "content": "x"}])");
  write(tmp / "raise.jinja", "{{ raise_exception('roles must alternate') }}");
  auto r = run_cellar("render-chat --template " + (tmp / "raise.jinja").string() + " --messages " +
                          (tmp / "m.json").string(), tmp);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(test::read_file(tmp / "stderr").find("roles must alternate"), std::string::npos);
}

}  // namespace
}  // namespace cellar
