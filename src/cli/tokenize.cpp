// `cellar tokenize -m FILE [--no-bos] [--special] TEXT|-`: token ids of TEXT
// (or of stdin with "-") under FILE's tokenizer, on one line.
#include <iostream>
#include <iterator>
#include <string>

#include "cli/command.h"
#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"

namespace cellar::cli {
namespace {

struct TokenizeOptions {
  std::string model;
  std::string text;
  bool no_bos = false;
  bool special = false;
};

int run_tokenize(const TokenizeOptions& o) {
  auto file = GgufFile::open(o.model);
  auto tok = Tokenizer::from_gguf(*file);
  std::string text = o.text;
  if (text == "-") text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  const auto ids = tok->encode(text, /*add_special=*/!o.no_bos, /*parse_special=*/o.special);
  std::string line;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) line += ' ';
    line += std::to_string(ids[i]);
  }
  std::cout << line << "\n";
  return 0;
}

CommandRegistration reg_tokenize("tokenize", [](CLI::App& app) {
  auto* sub = app.add_subcommand("tokenize", "Print the token ids of a text under a GGUF file's tokenizer");
  auto o = std::make_shared<TokenizeOptions>();
  sub->add_option("-m,--model", o->model, "GGUF file with tokenizer metadata")->required();
  sub->add_flag("--no-bos", o->no_bos, "Add no BOS/EOS tokens");
  sub->add_flag("--special", o->special, "Parse special-token text such as <|im_start|> as control tokens");
  sub->add_option("text", o->text, "Text to tokenize, or - to read stdin")->required();
  return [o]() { return run_tokenize(*o); };
});

}  // namespace
}  // namespace cellar::cli
