#pragma once
// A golden suite: the handful of standard questions a deployment must keep
// answering well, each with the expectations its answer is held to.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cellar::ops {

// A suite file that cannot be used; the message names file, question and field.
class SuiteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Expectations {
  std::vector<std::string> contains;      // every one must appear (case-sensitive)
  std::vector<std::string> not_contains;  // none may appear
  std::vector<std::string> regex;         // ECMAScript; each must match somewhere
  bool json = false;                      // the answer must be valid JSON
  std::optional<nlohmann::json> json_schema;  // implies json; subset, see json_schema.h
  std::optional<double> max_latency_ms;
  std::optional<double> max_ttft_ms;
  std::optional<long> max_tokens;  // answer length limit in generated tokens
};

struct Question {
  std::string id;
  std::string prompt;
  std::string system;      // optional system message
  std::string deployment;  // OpenAI "model" to ask
  long request_max_tokens = 256;  // sent as the request's max_tokens
  Expectations expect;
};

struct GoldenSuite {
  std::string name;
  std::filesystem::path file;
  std::vector<Question> questions;
};

// Reads a YAML (or JSON, which YAML parsers accept) suite file.
GoldenSuite load_suite(const std::filesystem::path& file);

// Parses suite text; `file` is only used in error messages.
GoldenSuite parse_suite(const std::string& text, const std::filesystem::path& file);

}  // namespace cellar::ops
