#include "registry/request_timings.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace cellar::registry {
namespace {

int64_t to_us(double seconds) { return static_cast<int64_t>(std::llround(seconds * 1e6)); }

}  // namespace

void TimingStore::append(const std::vector<RequestTiming>& batch) {
  if (batch.empty()) return;
  auto guard = catalog_.db().lock();
  catalog_.db().write_transaction([&] {
    for (const auto& t : batch) {
      catalog_.db()
          .prepare(
              "INSERT INTO request_timings(at, deployment, model_version, template_version, prompt_tokens, "
              "completion_tokens, ttft_us, total_us, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
          .bind(1, t.at).bind(2, t.deployment).bind(3, t.model_version).bind(4, t.template_version)
          .bind(5, t.prompt_tokens).bind(6, t.completion_tokens)
          .bind(7, t.ttft_seconds ? std::optional<int64_t>(to_us(*t.ttft_seconds)) : std::nullopt)
          .bind(8, to_us(t.total_seconds)).bind(9, static_cast<int64_t>(t.status))
          .run();
    }
  });
}

std::vector<RequestTiming> TimingStore::list(const std::string& deployment, const std::optional<std::string>& since) {
  auto guard = catalog_.db().lock();
  Statement st = catalog_.db().prepare(
      "SELECT at, deployment, model_version, template_version, prompt_tokens, completion_tokens, ttft_us, total_us, "
      "status FROM request_timings WHERE deployment = ?1 AND at >= ?2 ORDER BY id");
  st.bind(1, deployment).bind(2, since.value_or(""));
  std::vector<RequestTiming> out;
  while (st.step()) {
    RequestTiming t;
    t.at = st.text(0);
    t.deployment = st.text(1);
    t.model_version = st.text(2);
    t.template_version = st.opt_text(3);
    t.prompt_tokens = st.int64(4);
    t.completion_tokens = st.int64(5);
    if (auto us = st.opt_int64(6)) t.ttft_seconds = static_cast<double>(*us) / 1e6;
    t.total_seconds = static_cast<double>(st.int64(7)) / 1e6;
    t.status = static_cast<int>(st.int64(8));
    out.push_back(std::move(t));
  }
  return out;
}

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  double pos = q * static_cast<double>(values.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (values[hi] - values[lo]) * (pos - static_cast<double>(lo));
}

std::vector<LatencySummary> summarize_latency(const std::vector<RequestTiming>& timings) {
  struct Acc {
    LatencySummary s;
    std::vector<double> ttft, rate;
  };
  std::vector<std::string> order;
  std::map<std::string, Acc> by_version;
  for (const auto& t : timings) {
    auto [it, fresh] = by_version.try_emplace(t.model_version);
    Acc& a = it->second;
    if (fresh) {
      order.push_back(t.model_version);
      a.s.model_version = t.model_version;
      a.s.first_at = t.at;
    }
    a.s.last_at = t.at;
    ++a.s.requests;
    if (t.status >= 400) {
      ++a.s.errors;
      continue;
    }
    if (!t.ttft_seconds) continue;
    a.ttft.push_back(*t.ttft_seconds);
    double decode = t.total_seconds - *t.ttft_seconds;
    if (t.completion_tokens > 1 && decode > 0) a.rate.push_back(static_cast<double>(t.completion_tokens - 1) / decode);
  }
  std::vector<LatencySummary> out;
  for (const auto& v : order) {
    Acc& a = by_version.at(v);
    a.s.ttft_p50 = percentile(a.ttft, 0.50);
    a.s.ttft_p95 = percentile(a.ttft, 0.95);
    a.s.ttft_p99 = percentile(a.ttft, 0.99);
    a.s.tokens_per_second_p50 = percentile(a.rate, 0.50);
    a.s.tokens_per_second_p5 = percentile(a.rate, 0.05);
    out.push_back(a.s);
  }
  return out;
}

nlohmann::json LatencySummary::to_json() const {
  return {{"model_version", model_version},
          {"requests", requests},
          {"errors", errors},
          {"first_at", first_at},
          {"last_at", last_at},
          {"ttft_seconds", {{"p50", ttft_p50}, {"p95", ttft_p95}, {"p99", ttft_p99}}},
          {"tokens_per_second", {{"p50", tokens_per_second_p50}, {"p5", tokens_per_second_p5}}}};
}

}  // namespace cellar::registry
