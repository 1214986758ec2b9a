#include "ops/drift.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "ops/atomic_file.h"

namespace cellar::ops {
namespace {

using nlohmann::json;

std::string version_key(const std::string& deployment, const std::string& model_version) {
  return deployment + "@" + (model_version.empty() ? "unversioned" : model_version);
}

// Decodes UTF-8 leniently: a malformed byte counts as one code point of its own.
std::vector<char32_t> code_points(const std::string& s, size_t limit) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < s.size() && out.size() < limit;) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > s.size()) len = 1;
    char32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

size_t levenshtein(const std::vector<char32_t>& a, const std::vector<char32_t>& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);  // [len(b)+1] one DP row each
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string fmt(const char* f, double a, double b) {
  char buf[128];
  std::snprintf(buf, sizeof buf, f, a, b);
  return buf;
}

}  // namespace

std::string normalise_answer(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

double answer_similarity(const std::string& a, const std::string& b) {
  auto ca = code_points(normalise_answer(a), kMaxCompared);
  auto cb = code_points(normalise_answer(b), kMaxCompared);
  size_t longest = std::max(ca.size(), cb.size());
  if (longest == 0) return 1.0;
  return 1.0 - static_cast<double>(levenshtein(ca, cb)) / static_cast<double>(longest);
}

BaselineStore BaselineStore::load(const std::filesystem::path& file) {
  BaselineStore store;
  auto text = read_file_if_exists(file);
  if (!text) return store;
  json doc = json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("baselines") || !doc["baselines"].is_object())
    throw std::runtime_error(file.string() + ": not a Cellar baseline file (expected {\"baselines\": {...}})");
  store.doc_ = std::move(doc);
  return store;
}

void BaselineStore::save(const std::filesystem::path& file) const { write_file_atomic(file, doc_.dump(2) + "\n"); }

size_t BaselineStore::record(const ProbeRun& run) {
  size_t stored = 0;
  for (const auto& r : run.results) {
    if (!r.reached) continue;
    json& entry = doc_["baselines"][version_key(r.deployment, r.model_version)];
    entry["deployment"] = r.deployment;
    entry["model_version"] = r.model_version;
    entry["template_version"] = r.template_version;
    entry["recorded_at"] = iso8601_utc(r.time);
    json& q = entry["questions"][r.question_id];
    q["answer"] = r.answer.text;
    std::vector<double> lat = q.value("latencies_ms", std::vector<double>{});
    lat.push_back(r.answer.latency_ms);
    if (lat.size() > kMaxLatencySamples) lat.erase(lat.begin(), lat.end() - kMaxLatencySamples);
    q["latencies_ms"] = lat;
    ++stored;
  }
  return stored;
}

std::optional<BaselineAnswer> BaselineStore::find(const std::string& deployment,
                                                  const std::string& model_version,
                                                  const std::string& question) const {
  BaselineAnswer found;
  const json& all = doc_["baselines"];
  auto key = version_key(deployment, model_version);
  if (!all.contains(key) || !all[key].contains("questions") || !all[key]["questions"].contains(question))
    return std::nullopt;
  const json& q = all[key]["questions"][question];
  found.answer = q.value("answer", "");
  found.latencies_ms = q.value("latencies_ms", std::vector<double>{});
  return found;
}

DriftSummary apply_drift(ProbeRun& run, const BaselineStore& store, const DriftOptions& options) {
  DriftSummary s;
  for (auto& r : run.results) {
    if (!r.reached) continue;
    auto base = store.find(r.deployment, r.model_version, r.question_id);
    if (!base) {
      ++s.without_baseline;
      continue;
    }
    ++s.compared;
    r.drift_score = answer_similarity(base->answer, r.answer.text);
    if (*r.drift_score < options.threshold) {
      ++s.drifted;
      add_failure(r, fmt("drift: similarity %.2f to baseline < %.2f", *r.drift_score, options.threshold));
    }
    if (!base->latencies_ms.empty()) {
      double m = median(base->latencies_ms);
      if (r.answer.latency_ms > options.latency_factor * m &&
          r.answer.latency_ms - m >= options.latency_min_increase_ms) {
        ++s.slow;
        char buf[160];
        std::snprintf(buf, sizeof buf, "latency regression: %.0f ms > %.1fx baseline median %.0f ms",
                      r.answer.latency_ms, options.latency_factor, m);
        add_failure(r, buf);
      }
    }
  }
  return s;
}

}  // namespace cellar::ops
