#include "plan/estimates.h"

#include <algorithm>
#include <cmath>

namespace cellar::plan {

MemoryEstimate estimate_memory(const ModelInput& model, const PlanOptions& opts) {
  const auto& s = model.shape;
  const auto& kv = ggml_type_info(opts.kv_type);
  const double kv_bytes_per_elem = static_cast<double>(kv.type_size) / kv.block_size;
  MemoryEstimate m;
  m.weights_bytes = model.weights_bytes;
  m.kv_cache_bytes_per_user = kv_cache_bytes_per_sequence(s, opts.ctx, kv_bytes_per_elem);
  m.kv_cache_bytes = m.kv_cache_bytes_per_user * static_cast<uint64_t>(opts.users);
  // One micro-batch in F32: logits [ubatch][n_vocab], hidden and residual
  // [ubatch][2 n_embd], FFN gate/up [ubatch][2 n_ff]. Cellar's attention is
  // flash-style (scores per tile, never [n_head][ubatch][ctx]), so the
  // context adds nothing here beyond the KV cache.
  const double ub = static_cast<double>(std::min<int64_t>(kMicroBatch, opts.ctx));
  const double per_token = static_cast<double>(s.n_vocab) + 2.0 * s.n_embd + 2.0 * s.n_ff;
  m.activations_bytes = static_cast<uint64_t>(ub * per_token * 4.0);
  m.overhead_bytes =
      kRuntimeOverheadBytes + static_cast<uint64_t>(kRuntimeOverheadShare * m.weights_bytes);
  m.total_bytes = m.weights_bytes + m.kv_cache_bytes + m.activations_bytes + m.overhead_bytes;
  return m;
}

bool can_split_across_units(const HardwareSpec& hw) {
  return hw.kind == "gpu" || hw.kind == "accelerator";
}

int64_t units_needed(const HardwareSpec& hw, uint64_t total_bytes) {
  const double usable = hw.memory_gb * 1e9 * hw.usable_memory_fraction;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(total_bytes / usable)));
}

SpeedEstimate estimate_speed(const ModelInput& model, const MemoryEstimate& mem,
                             const HardwareSpec& hw, int64_t units, const PlanOptions& opts) {
  const double decode_eff = opts.efficiency_measured
                                ? opts.decode_efficiency
                                : hw.decode_efficiency.value_or(opts.decode_efficiency);
  const double prefill_eff = opts.efficiency_measured
                                 ? opts.prefill_efficiency
                                 : hw.prefill_efficiency.value_or(opts.prefill_efficiency);
  const double bandwidth = units * hw.bandwidth_gb_per_s * 1e9 * decode_eff;  // bytes/s
  const double flops = units * hw.fp16_tflops * 1e12 * prefill_eff;           // FLOP/s
  const double flops_per_token = 2.0 * static_cast<double>(model.parameters);
  const double weights = static_cast<double>(mem.weights_bytes);
  const double kv_user = static_cast<double>(mem.kv_cache_bytes_per_user);
  const double users = static_cast<double>(opts.users);

  SpeedEstimate s;
  s.decode_tokens_per_s_per_user = bandwidth / (weights + kv_user);
  // One decode step serves every user: the weights stream once, each user's
  // KV cache streams once, and the step cannot beat the compute bound.
  const double step_memory = (weights + users * kv_user) / bandwidth;
  const double step_compute = users * flops_per_token / flops;
  const double step = std::max(step_memory, step_compute);
  s.decode_tokens_per_s_per_user_at_load = 1.0 / step;
  s.decode_tokens_per_s_aggregate = users / step;
  s.prefill_tokens_per_s = flops / flops_per_token;
  s.ttft_s = opts.prompt_tokens / s.prefill_tokens_per_s + 1.0 / s.decode_tokens_per_s_per_user;
  const double p = static_cast<double>(opts.prompt_tokens);
  const double o = static_cast<double>(opts.output_tokens);
  s.capacity_tokens_per_s =
      (p + o) / (o / s.decode_tokens_per_s_aggregate + p / s.prefill_tokens_per_s);
  return s;
}

std::optional<double> break_even_tokens_per_month(double fixed_monthly_per_replica,
                                                  double power_cost_per_token,
                                                  double monthly_capacity_tokens,
                                                  double cloud_price_per_token) {
  // Owning costs r*F + p*V for V in ((r-1)C, rC]. If a full replica beats the
  // cloud (c > p + F/C), the lines cross inside the first replica's range at
  // V = F/(c-p); otherwise every further replica loses by the same margin.
  const double c = cloud_price_per_token, p = power_cost_per_token;
  if (monthly_capacity_tokens <= 0) return std::nullopt;
  if (c <= p + fixed_monthly_per_replica / monthly_capacity_tokens) return std::nullopt;
  return fixed_monthly_per_replica / (c - p);
}

CostEstimate estimate_cost(const HardwareSpec& hw, int64_t units, const SpeedEstimate& speed,
                           const PlanOptions& opts, double tokens_per_month,
                           double cloud_price_per_token) {
  CostEstimate c;
  const double hosts = std::ceil(static_cast<double>(units) / hw.units_per_host);
  const double kw = (units * hw.power_w + hosts * hw.host_power_w) / 1000.0;
  c.capex = units * hw.price_usd + hosts * hw.host_price_usd;
  const double amortised = c.capex / (opts.years * 12);
  const double maintenance = c.capex * opts.maintenance_pct / 100 / 12;
  const double idle_power = kw * opts.idle_power_fraction * opts.pue * opts.kwh_price * kHoursPerMonth;
  c.fixed_monthly_per_replica = amortised + maintenance + idle_power;
  // Above idle, energy is spent per token: the busy share of TDP for the
  // seconds the replica needs to serve one token.
  c.power_cost_per_token = kw * (1 - opts.idle_power_fraction) * opts.pue * opts.kwh_price /
                           (speed.capacity_tokens_per_s * 3600.0);
  c.monthly_capacity_tokens = speed.capacity_tokens_per_s * 3600.0 * opts.busy_hours * kDaysPerMonth;
  c.replicas = std::max<int64_t>(
      1, static_cast<int64_t>(std::ceil(tokens_per_month / c.monthly_capacity_tokens)));
  c.utilisation = tokens_per_month / (c.replicas * c.monthly_capacity_tokens);
  c.amortised_monthly = amortised * c.replicas;
  c.maintenance_monthly = maintenance * c.replicas;
  c.power_monthly = idle_power * c.replicas + c.power_cost_per_token * tokens_per_month;
  c.own_monthly = c.amortised_monthly + c.maintenance_monthly + c.power_monthly;
  c.break_even_tokens_per_month =
      break_even_tokens_per_month(c.fixed_monthly_per_replica, c.power_cost_per_token,
                                  c.monthly_capacity_tokens, cloud_price_per_token);
  return c;
}

double own_monthly_at(const CostEstimate& cost, double tokens_per_month) {
  const double replicas =
      std::max(1.0, std::ceil(tokens_per_month / cost.monthly_capacity_tokens));
  return replicas * cost.fixed_monthly_per_replica + cost.power_cost_per_token * tokens_per_month;
}

}  // namespace cellar::plan
