// Conformance against the reference engine: every vocabulary in
// refdata/vocab with its .inp/.out vectors (ids produced by llama.cpp with
// add_special=false, parse_special=false), discovered by directory scan so
// new vocabularies are tested without code changes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "gguf/gguf_file.h"
#include "support/test_support.h"
#include "tokenizer/stream_detokenizer.h"
#include "tokenizer/tokenizer.h"

namespace cellar {
namespace {

namespace fs = std::filesystem;

struct VectorCase {
  std::string input;
  std::vector<int32_t> expected;
};

struct VectorFile {
  fs::path vocab;
  fs::path inp;
  std::vector<VectorCase> cases;
};

std::vector<std::string> split_exact(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    const size_t hit = s.find(sep, pos);
    if (hit == std::string::npos) break;
    out.push_back(s.substr(pos, hit - pos));
    pos = hit + sep.size();
  }
  out.push_back(s.substr(pos));
  return out;
}

std::vector<int32_t> parse_ids(const std::string& line) {
  std::vector<int32_t> ids;
  std::istringstream in(line);
  int64_t id = 0;
  while (in >> id) ids.push_back(static_cast<int32_t>(id));
  return ids;
}

VectorFile load_vectors(const fs::path& vocab, const fs::path& inp, const fs::path& out) {
  VectorFile vf{vocab, inp, {}};
  auto inputs = split_exact(test::read_file(inp), "\n__ggml_vocab_test__\n");
  inputs.pop_back();  // text after the last separator is not a test
  const auto lines = split_exact(test::read_file(out), "\n");
  for (size_t i = 0; i < inputs.size(); ++i) {
    vf.cases.push_back({inputs[i], i < lines.size() ? parse_ids(lines[i]) : std::vector<int32_t>{}});
  }
  EXPECT_GE(lines.size(), inputs.size()) << out << " has fewer lines than " << inp << " has tests";
  return vf;
}

// Every (vocab, vectors) pair in refdata/vocab: NAME.gguf with NAME.gguf.inp/.out and NAME.extra.inp/.out.
std::vector<VectorFile> discover() {
  std::vector<VectorFile> files;
  const fs::path dir = test::refdata_dir() / "vocab";
  if (!fs::is_directory(dir)) return files;
  std::vector<fs::path> vocabs;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".gguf") vocabs.push_back(e.path());
  }
  std::sort(vocabs.begin(), vocabs.end());
  for (const auto& v : vocabs) {
    fs::path stem = v;
    stem.replace_extension();
    for (const auto& [inp, out] : {std::pair{fs::path(v.string() + ".inp"), fs::path(v.string() + ".out")},
                                   std::pair{fs::path(stem.string() + ".extra.inp"), fs::path(stem.string() + ".extra.out")}}) {
      if (fs::exists(inp) && fs::exists(out)) files.push_back(load_vectors(v, inp, out));
    }
  }
  return files;
}

// Loaded once per test binary: tokenizers are immutable, and loading the
// GPT-2 vocabulary dominates these tests' time.
const Tokenizer* load(const fs::path& p) {
  static std::map<fs::path, std::unique_ptr<Tokenizer>> cache;
  auto& slot = cache[p];
  if (!slot) slot = Tokenizer::from_gguf(*GgufFile::open(p.string()));
  return slot.get();
}

std::string ids_text(const std::vector<int32_t>& ids) {
  std::string s;
  for (auto id : ids) {
    s += ' ';
    s += std::to_string(id);
  }
  return s;
}

TEST(TokenizerRefdata, EveryVocabVectorMatchesReference) {
  CELLAR_REQUIRE_REFDATA();
  const auto files = discover();
  ASSERT_FALSE(files.empty()) << "no vocab/*.gguf with .inp/.out vectors in refdata";
  size_t n_cases = 0;
  for (const auto& vf : files) {
    auto tok = load(vf.vocab);
    for (size_t i = 0; i < vf.cases.size(); ++i) {
      const auto& c = vf.cases[i];
      const auto got = tok->encode(c.input, /*add_special=*/false, /*parse_special=*/false);
      EXPECT_EQ(got, c.expected) << vf.inp.filename() << " case " << i << " input '" << c.input << "'\n got:"
                                 << ids_text(got) << "\n exp:" << ids_text(c.expected);
      ++n_cases;
    }
  }
  EXPECT_GT(n_cases, 0u);
}

// decode(encode(x)) gives x back (SentencePiece adds its leading space) for
// every vector whose encoding holds no special token.
TEST(TokenizerRefdata, DecodeReversesEncode) {
  CELLAR_REQUIRE_REFDATA();
  for (const auto& vf : discover()) {
    auto tok = load(vf.vocab);
    for (const auto& c : vf.cases) {
      const auto ids = tok->encode(c.input, false, false);
      if (std::any_of(ids.begin(), ids.end(), [&](int32_t id) { return tok->is_control(id); })) continue;
      const bool spm = tok->model_name() == "llama";
      std::string expected = spm && !c.input.empty() ? " " : "";
      expected += c.input;
      EXPECT_EQ(tok->decode(ids), expected) << vf.inp.filename() << " input '" << c.input << "'";
    }
  }
}

// Streaming token by token yields the same text, and every chunk is whole
// UTF-8 characters even where byte tokens split emoji and CJK characters.
TEST(TokenizerRefdata, StreamingMatchesDecode) {
  CELLAR_REQUIRE_REFDATA();
  for (const auto& vf : discover()) {
    auto tok = load(vf.vocab);
    for (const auto& c : vf.cases) {
      const auto ids = tok->encode(c.input, false, false);
      StreamDetokenizer stream(*tok);
      std::string text;
      for (int32_t id : ids) {
        const std::string chunk = stream.push(id);
        if (!chunk.empty()) {
          // A chunk never starts with a continuation byte nor ends inside a character.
          EXPECT_NE(static_cast<uint8_t>(chunk.front()) & 0xC0, 0x80) << c.input;
        }
        text += chunk;
      }
      text += stream.flush();
      EXPECT_EQ(text, tok->decode(ids)) << vf.inp.filename() << " input '" << c.input << "'";
    }
  }
}

TEST(TokenizerRefdata, Stories260KPromptsAndGenerations) {
  CELLAR_REQUIRE_REFDATA();
  const fs::path dir = test::refdata_dir() / "models";
  if (!fs::exists(dir / "stories260K.gguf")) GTEST_SKIP() << "stories260K.gguf not in refdata";
  auto tok = load(dir / "stories260K.gguf");
  std::ifstream in(dir / "stories260K.greedy.jsonl");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(tok->encode(j["prompt"].get<std::string>(), true, false), j["prompt_ids"].get<std::vector<int32_t>>());
    EXPECT_EQ(tok->decode(j["generated_ids"].get<std::vector<int32_t>>()), j["generated_text"].get<std::string>());
    ++n;
  }
  EXPECT_GT(n, 0);
}

TEST(TokenizerRefdata, SpecialTokensParsedOnlyWhenAsked) {
  CELLAR_REQUIRE_REFDATA();
  const fs::path dir = test::refdata_dir() / "vocab";
  auto spm = load(dir / "ggml-vocab-llama-spm.gguf");
  EXPECT_EQ(spm->encode("<s>hi", false, true).front(), spm->bos_id());
  const auto as_text = spm->encode("<s>hi", false, false);
  EXPECT_EQ(std::count(as_text.begin(), as_text.end(), spm->bos_id()), 0);

  auto gpt2 = load(dir / "ggml-vocab-gpt-2.gguf");
  const int32_t eot = *gpt2->find_token("<|endoftext|>");
  EXPECT_EQ(gpt2->encode("a<|endoftext|>b", false, true), (std::vector<int32_t>{64, eot, 65}));
  const auto plain = gpt2->encode("a<|endoftext|>b", false, false);
  EXPECT_GT(plain.size(), 3u);
  EXPECT_EQ(gpt2->decode(plain), "a<|endoftext|>b");
  EXPECT_EQ(gpt2->token_to_piece(eot), "");  // control tokens carry no text

  // Phi-3's chat markers swallow the whitespace after them (rstrip).
  auto phi3 = load(dir / "ggml-vocab-phi-3.gguf");
  const auto ids = phi3->encode("<|user|>\nhi<|end|>", false, true);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], *phi3->find_token("<|user|>"));
  EXPECT_EQ(ids[1], *phi3->find_token("▁hi"));
  EXPECT_EQ(ids[2], *phi3->find_token("<|end|>"));
}

TEST(TokenizerRefdata, SpecialIdsAndFlags) {
  CELLAR_REQUIRE_REFDATA();
  const fs::path dir = test::refdata_dir() / "vocab";
  auto spm = load(dir / "ggml-vocab-llama-spm.gguf");
  EXPECT_EQ(spm->model_name(), "llama");
  EXPECT_EQ(spm->n_vocab(), 32000);
  EXPECT_EQ(spm->bos_id(), 1);
  EXPECT_EQ(spm->eos_id(), 2);
  EXPECT_TRUE(spm->add_bos());
  EXPECT_FALSE(spm->add_eos());
  EXPECT_TRUE(spm->is_eog(2));
  EXPECT_FALSE(spm->is_eog(1));
  EXPECT_EQ(spm->encode("Hello", true, false).front(), 1);
  EXPECT_EQ(spm->token_text(1), "<s>");

  auto gpt2 = load(dir / "ggml-vocab-gpt-2.gguf");
  EXPECT_EQ(gpt2->model_name(), "gpt2");
  EXPECT_FALSE(gpt2->add_bos());
  EXPECT_EQ(gpt2->encode("Hello", true, false), gpt2->encode("Hello", false, false));
  EXPECT_TRUE(gpt2->is_eog(gpt2->eos_id()));

  auto phi3 = load(dir / "ggml-vocab-phi-3.gguf");
  const int32_t end = *phi3->find_token("<|end|>");
  EXPECT_EQ(phi3->eot_id(), end);
  EXPECT_TRUE(phi3->is_eog(end));
  EXPECT_TRUE(phi3->is_eog(*phi3->find_token("<|endoftext|>")));
  EXPECT_FALSE(phi3->is_eog(*phi3->find_token("<|user|>")));
}

// A long text (about 100 KB, every script of the vectors) still encodes and
// decodes exactly; a quadratic merge loop would blow the per-test budget.
TEST(TokenizerRefdata, LongTextRoundTrips) {
  CELLAR_REQUIRE_REFDATA();
  const auto files = discover();
  ASSERT_FALSE(files.empty());
  std::string text;
  while (text.size() < 100 * 1024) {
    for (const auto& c : files.back().cases) text += c.input + "\n";
  }
  for (const char* name : {"ggml-vocab-llama-spm.gguf", "ggml-vocab-gpt-2.gguf"}) {
    auto tok = load(test::refdata_dir() / "vocab" / name);
    const auto ids = tok->encode(text, false, false);
    EXPECT_LT(ids.size(), text.size());
    const std::string prefix = tok->model_name() == "llama" ? " " : "";
    EXPECT_EQ(tok->decode(ids), prefix + text) << name;
  }
}

}  // namespace
}  // namespace cellar
