#pragma once
// The metric set `cellar serve` exports at GET /metrics. Names follow vLLM's
// where the meaning is the same (vllm:time_to_first_token_seconds ->
// cellar_time_to_first_token_seconds) so dashboards translate; the ops
// dashboards and alerts depend on these exact names.
#include <string>

#include "server/metrics/metrics_registry.h"

namespace cellar::server {

struct ServerMetrics {
  ServerMetrics();

  metrics::Registry registry;
  metrics::Family<metrics::Counter>& http_requests;      // {route,status}
  metrics::Family<metrics::Counter>& prompt_tokens;      // {model}
  metrics::Family<metrics::Counter>& generation_tokens;  // {model}
  metrics::Family<metrics::Histogram>& ttft;             // {model}
  metrics::Family<metrics::Histogram>& inter_token;      // {model}
  metrics::Family<metrics::Histogram>& e2e;              // {model}
  metrics::Family<metrics::Histogram>& queue_time;       // {model}
  metrics::Family<metrics::Gauge>& running;              // {model}
  metrics::Family<metrics::Gauge>& waiting;              // {model}
  metrics::Family<metrics::Gauge>& kv_usage;             // {model}, 0..1
  metrics::Family<metrics::Gauge>& model_bytes;          // {model,version}
  metrics::Family<metrics::Gauge>& model_load_seconds;   // {model}
  metrics::Family<metrics::Gauge>& model_warmup_seconds; // {model}
  metrics::Family<metrics::Counter>& guard_flagged;      // {model}
  metrics::Family<metrics::Counter>& guard_output;       // {model,event}: event "pii" | "leak"
  metrics::Family<metrics::Gauge>& memory_budget;        // --memory-budget
  metrics::Family<metrics::Gauge>& memory_reserved;      // of it, held by loaded models
  metrics::Family<metrics::Gauge>& resident_memory;      // process_resident_memory_bytes
};

// Resident set size of this process from /proc/self/statm (0 where unavailable).
double process_resident_bytes();

}  // namespace cellar::server
