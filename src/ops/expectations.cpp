#include "ops/expectations.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <regex>

#include "ops/json_schema.h"

namespace cellar::ops {
namespace {

std::string trim(const std::string& s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string ms(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f ms", v);
  return buf;
}

void check_json(const Expectations& expect, const std::string& text, Verdict& v) {
  nlohmann::json doc = nlohmann::json::parse(strip_json_fence(text), nullptr, false);
  if (doc.is_discarded()) {
    v.failures.push_back("answer is not valid JSON");
    return;
  }
  if (expect.json_schema)
    if (auto err = validate_json(*expect.json_schema, doc))
      v.failures.push_back("JSON does not match schema: " + *err);
}

void check_timing(const Expectations& expect, const Answer& a, Verdict& v) {
  if (expect.max_latency_ms && a.latency_ms > *expect.max_latency_ms)
    v.failures.push_back("latency " + ms(a.latency_ms) + " > " + ms(*expect.max_latency_ms));
  if (expect.max_ttft_ms) {
    if (!a.ttft_ms)
      v.failures.push_back("no token arrived (max_ttft_ms " + ms(*expect.max_ttft_ms) + ")");
    else if (*a.ttft_ms > *expect.max_ttft_ms)
      v.failures.push_back("TTFT " + ms(*a.ttft_ms) + " > " + ms(*expect.max_ttft_ms));
  }
  if (expect.max_tokens && a.tokens > *expect.max_tokens)
    v.failures.push_back(std::to_string(a.tokens) + " tokens > max_tokens " +
                         std::to_string(*expect.max_tokens));
}

}  // namespace

std::string Verdict::reason() const {
  std::string out;
  for (const auto& f : failures) out += (out.empty() ? "" : "; ") + f;
  return out;
}

std::string strip_json_fence(const std::string& text) {
  std::string t = trim(text);
  if (t.rfind("```", 0) != 0) return t;
  auto first_nl = t.find('\n');
  auto closing = t.rfind("```");
  if (first_nl == std::string::npos || closing <= first_nl) return t;
  return trim(t.substr(first_nl + 1, closing - first_nl - 1));
}

Verdict check_answer(const Expectations& expect, const Answer& a) {
  Verdict v;
  for (const auto& s : expect.contains)
    if (a.text.find(s) == std::string::npos) v.failures.push_back("missing \"" + s + "\"");
  for (const auto& s : expect.not_contains)
    if (a.text.find(s) != std::string::npos) v.failures.push_back("contains forbidden \"" + s + "\"");
  for (const auto& r : expect.regex)
    if (!std::regex_search(a.text, std::regex(r, std::regex::ECMAScript)))
      v.failures.push_back("no match for /" + r + "/");
  if (expect.json) check_json(expect, a.text, v);
  check_timing(expect, a, v);
  v.passed = v.failures.empty();
  return v;
}

}  // namespace cellar::ops
