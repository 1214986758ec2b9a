#include "ops/golden_suite.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "ops/json_schema.h"
#include "ops/yaml_json.h"

namespace cellar::ops {
namespace {

using nlohmann::json;

// Carries where we are in the file so every message names file, question and field.
struct Where {
  std::string file;
  std::string question;  // empty at suite level

  [[noreturn]] void fail(const std::string& field, const std::string& why) const {
    std::string msg = file + ": ";
    if (!question.empty()) msg += "question " + question + ": ";
    msg += "field '" + field + "': " + why;
    throw SuiteError(msg);
  }
};

void reject_unknown(const json& obj, const std::set<std::string>& allowed, const Where& w,
                    const std::string& prefix) {
  for (const auto& [key, _] : obj.items())
    if (!allowed.count(key)) w.fail(prefix + key, "unknown field");
}

std::string text_field(const json& obj, const std::string& key, const Where& w,
                       const std::string& field, bool required) {
  if (!obj.contains(key) || obj[key].is_null()) {
    if (required) w.fail(field, "is required");
    return {};
  }
  if (!obj[key].is_string() || obj[key].get<std::string>().empty())
    w.fail(field, "must be a non-empty string");
  return obj[key].get<std::string>();
}

std::vector<std::string> string_list(const json& v, const Where& w, const std::string& field) {
  if (v.is_string()) return {v.get<std::string>()};
  if (!v.is_array()) w.fail(field, "must be a string or a list of strings");
  std::vector<std::string> out;
  for (const auto& item : v) {
    if (!item.is_string() || item.get<std::string>().empty())
      w.fail(field, "every entry must be a non-empty string");
    out.push_back(item.get<std::string>());
  }
  return out;
}

double positive_number(const json& v, const Where& w, const std::string& field) {
  if (!v.is_number() || v.get<double>() <= 0) w.fail(field, "must be a positive number");
  return v.get<double>();
}

long positive_integer(const json& v, const Where& w, const std::string& field) {
  if (!v.is_number_integer() || v.get<long>() <= 0) w.fail(field, "must be a positive integer");
  return v.get<long>();
}

// Merges the suite's default expectations under the question's own.
Expectations parse_expect(const json& e, const Where& w) {
  if (!e.is_object()) w.fail("expect", "must be a mapping");
  reject_unknown(e,
                 {"contains", "not_contains", "regex", "json", "json_schema", "max_latency_ms",
                  "max_ttft_ms", "max_tokens"},
                 w, "expect.");
  Expectations x;
  if (e.contains("contains")) x.contains = string_list(e["contains"], w, "expect.contains");
  if (e.contains("not_contains"))
    x.not_contains = string_list(e["not_contains"], w, "expect.not_contains");
  if (e.contains("regex")) {
    x.regex = string_list(e["regex"], w, "expect.regex");
    for (const auto& r : x.regex) {
      try {
        std::regex check(r, std::regex::ECMAScript);
      } catch (const std::regex_error& err) {
        w.fail("expect.regex", "invalid regular expression '" + r + "': " + err.what());
      }
    }
  }
  if (e.contains("json")) {
    if (!e["json"].is_boolean()) w.fail("expect.json", "must be true or false");
    x.json = e["json"].get<bool>();
  }
  if (e.contains("json_schema")) {
    if (auto err = check_schema(e["json_schema"])) w.fail("expect.json_schema", *err);
    x.json_schema = e["json_schema"];
    x.json = true;
  }
  if (e.contains("max_latency_ms"))
    x.max_latency_ms = positive_number(e["max_latency_ms"], w, "expect.max_latency_ms");
  if (e.contains("max_ttft_ms"))
    x.max_ttft_ms = positive_number(e["max_ttft_ms"], w, "expect.max_ttft_ms");
  if (e.contains("max_tokens"))
    x.max_tokens = positive_integer(e["max_tokens"], w, "expect.max_tokens");
  return x;
}

Question parse_question(const json& q, size_t index, const json& defaults,
                        const std::string& deployment, const Where& suite_where) {
  Where w{suite_where.file, std::string("#").append(std::to_string(index + 1))};
  if (!q.is_object()) w.fail("questions", "each question must be a mapping");
  Question out;
  out.id = text_field(q, "id", w, "id", true);
  w.question = "'" + out.id + "'";
  reject_unknown(q, {"id", "prompt", "system", "deployment", "model", "max_tokens", "expect"}, w, "");
  out.prompt = text_field(q, "prompt", w, "prompt", true);
  out.system = text_field(q, "system", w, "system", false);
  out.deployment = text_field(q, "deployment", w, "deployment", false);
  if (out.deployment.empty()) out.deployment = text_field(q, "model", w, "model", false);
  if (out.deployment.empty()) out.deployment = deployment;
  if (out.deployment.empty())
    w.fail("deployment", "is required (set it on the suite or on the question)");
  if (defaults.contains("max_tokens"))
    out.request_max_tokens = positive_integer(defaults["max_tokens"], w, "defaults.max_tokens");
  if (q.contains("max_tokens"))
    out.request_max_tokens = positive_integer(q["max_tokens"], w, "max_tokens");
  json expect = defaults.value("expect", json::object());
  if (!expect.is_object()) w.fail("defaults.expect", "must be a mapping");
  if (q.contains("expect")) {
    if (!q["expect"].is_object()) w.fail("expect", "must be a mapping");
    expect.update(q["expect"]);
  }
  out.expect = parse_expect(expect, w);
  return out;
}

}  // namespace

GoldenSuite parse_suite(const std::string& text, const std::filesystem::path& file) {
  Where w{file.string(), ""};
  json doc;
  try {
    doc = yaml_to_json(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    throw SuiteError(file.string() + ": not valid YAML/JSON: " + e.what());
  }
  if (!doc.is_object()) throw SuiteError(file.string() + ": a suite must be a mapping");
  reject_unknown(doc, {"suite", "name", "deployment", "model", "defaults", "questions"}, w, "");
  GoldenSuite suite;
  suite.file = file;
  suite.name = text_field(doc, doc.contains("suite") ? "suite" : "name", w, "suite", false);
  if (suite.name.empty()) suite.name = file.stem().string();
  std::string deployment = text_field(doc, "deployment", w, "deployment", false);
  if (deployment.empty()) deployment = text_field(doc, "model", w, "model", false);
  json defaults = doc.value("defaults", json::object());
  if (!defaults.is_object()) w.fail("defaults", "must be a mapping");
  reject_unknown(defaults, {"max_tokens", "expect"}, w, "defaults.");
  if (!doc.contains("questions") || !doc["questions"].is_array() || doc["questions"].empty())
    w.fail("questions", "must be a non-empty list");
  std::set<std::string> seen;
  for (size_t i = 0; i < doc["questions"].size(); ++i) {
    Question q = parse_question(doc["questions"][i], i, defaults, deployment, w);
    if (!seen.insert(q.id).second) w.fail("id", "duplicate id '" + q.id + "' (question #" + std::to_string(i + 1) + ")");
    suite.questions.push_back(std::move(q));
  }
  return suite;
}

GoldenSuite load_suite(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw SuiteError(file.string() + ": cannot open suite file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_suite(ss.str(), file);
}

}  // namespace cellar::ops
