#pragma once
// Pieces several subcommands share: loading a model with its tokenizer and
// validating the usual numeric flags at the boundary.
#include <memory>
#include <stdexcept>
#include <string>

#include "gguf/ggml_type.h"
#include "model/model.h"
#include "tokenizer/tokenizer.h"

namespace cellar::cli {

// A user mistake on the command line: printed as one line, exit code 1.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LoadedModel {
  std::shared_ptr<Model> model;
  std::shared_ptr<Tokenizer> tokenizer;
};

LoadedModel load_model(const std::string& path, const ModelLoadOptions& opts = {});

// Context size: `requested` (0 = min(default, trained)), checked against the trained context.
int resolve_context(const Model& m, int requested, int def = 2048);
int resolve_threads(int requested);
// --kv-type: "f16" or "q8_0" (any case).
GgmlType resolve_kv_type(const std::string& name);

std::string read_text_arg(const std::string& arg);  // "-" reads stdin

}  // namespace cellar::cli
