#include "server/server_metrics.h"

#include <unistd.h>

#include <fstream>

namespace cellar::server {

using metrics::latency_buckets;

ServerMetrics::ServerMetrics()
    : http_requests(registry.counter("cellar_http_requests_total", "HTTP requests by route and status code.",
                                     {"route", "status"})),
      prompt_tokens(registry.counter("cellar_prompt_tokens_total", "Prompt tokens processed.", {"model"})),
      generation_tokens(registry.counter("cellar_generation_tokens_total", "Tokens generated.", {"model"})),
      ttft(registry.histogram("cellar_time_to_first_token_seconds", "Time from request to first generated token.",
                              {"model"}, latency_buckets())),
      inter_token(registry.histogram("cellar_inter_token_latency_seconds", "Time between consecutive generated tokens.",
                                     {"model"},
                                     {0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3,
                                      0.5, 0.75, 1.0, 2.5})),
      e2e(registry.histogram("cellar_e2e_request_latency_seconds", "Time from request to its last token.", {"model"},
                             latency_buckets())),
      queue_time(registry.histogram("cellar_request_queue_time_seconds", "Time a request waited for a sequence slot.",
                                    {"model"}, latency_buckets())),
      running(registry.gauge("cellar_num_requests_running", "Requests being decoded.", {"model"})),
      waiting(registry.gauge("cellar_num_requests_waiting", "Requests waiting for a sequence slot.", {"model"})),
      kv_usage(registry.gauge("cellar_kv_cache_usage_perc", "Fraction of KV cache cells in use (0 to 1).", {"model"})),
      model_bytes(registry.gauge("cellar_model_loaded_bytes", "Bytes of weights of each loaded model.",
                                 {"model", "version"})),
      model_load_seconds(registry.gauge("cellar_model_load_seconds", "Seconds it took to load the model.", {"model"})),
      model_warmup_seconds(
          registry.gauge("cellar_model_warmup_seconds", "Seconds the warm-up forward pass took.", {"model"})),
      guard_flagged(registry.counter("cellar_guard_flagged_total",
                                     "Requests whose input the guard flagged as a likely prompt injection.", {"model"})),
      guard_output(registry.counter("cellar_guard_output_total",
                                    "Redactions the guard made in generated text: PII placeholders and system-prompt "
                                    "or canary leaks.",
                                    {"model", "event"})),
      memory_budget(registry.gauge("cellar_memory_budget_bytes", "Memory budget for all loaded models.")),
      memory_reserved(registry.gauge("cellar_memory_reserved_bytes",
                                     "Budget bytes held by loaded models (mapped file + KV cache each).")),
      resident_memory(registry.gauge("process_resident_memory_bytes", "Resident memory size in bytes.")) {
  registry.add_collector([this] { resident_memory.with({}).set(process_resident_bytes()); });
}

double process_resident_bytes() {
  std::ifstream in("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  if (!(in >> pages_total >> pages_resident)) return 0;
  return static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

}  // namespace cellar::server
