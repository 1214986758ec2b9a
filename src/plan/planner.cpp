#include "plan/planner.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "plan/estimates.h"
#include "plan/quant_recipe.h"

namespace cellar::plan {
namespace {

constexpr const char* kFallbackCloud = "openai-gpt-4o-mini";

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument(message);
}

std::string money(double usd) {
  char buf[64];
  std::snprintf(buf, sizeof buf, usd >= 100 ? "$%.0f" : "$%.2f", usd);
  return buf;
}

std::string tokens(double n) {
  char buf[64];
  if (n >= 1e9) {
    std::snprintf(buf, sizeof buf, "%.2f B", n / 1e9);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f M", n / 1e6);
  }
  return buf;
}

const CloudPrice& pick_cloud(const Catalog& catalog, const ModelInput& model,
                             const PlanOptions& opts) {
  if (!opts.cloud.empty()) return catalog.cloud_named(opts.cloud);
  if (!model.cloud_equivalent.empty()) return catalog.cloud_named(model.cloud_equivalent);
  return catalog.cloud_named(kFallbackCloud);
}

// Cheapest usable option; failing that, the cheapest that fits at all.
int pick_hardware(const std::vector<HardwareResult>& rows) {
  int best = -1;
  for (int pass = 0; pass < 2 && best < 0; ++pass) {
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      const bool ok = pass == 0 ? r.usable : r.within_max_units;
      if (ok && (best < 0 || r.cost.own_monthly < rows[best].cost.own_monthly)) {
        best = static_cast<int>(i);
      }
    }
  }
  return best;
}

std::string recommend(const PlanResult& p) {
  if (p.selected < 0) {
    return "No hardware in the catalogue holds this model within " +
           std::to_string(p.options.max_units) +
           " units: use the cloud API, a smaller model or a smaller quantization.";
  }
  const auto& r = p.hardware[p.selected];
  const std::string own = std::to_string(r.units_needed * r.cost.replicas) + " x " + r.hw.title;
  const std::string at = " at " + tokens(p.tokens_per_month) + " tokens/month";
  std::string be;
  if (r.cost.break_even_tokens_per_month) {
    be = "owning pays off above " + tokens(*r.cost.break_even_tokens_per_month) + " tokens/month";
  } else {
    be = "owning never pays off at these prices: even fully loaded, a replica costs more per token than the API";
  }
  std::string line;
  if (r.cost.own_monthly < p.cloud_monthly) {
    line = "Buy " + own + ": " + money(r.cost.own_monthly) + "/month against " +
           money(p.cloud_monthly) + "/month for " + p.cloud.name + at + "; " + be + ".";
  } else {
    line = "Use the cloud API " + p.cloud.name + ": " + money(p.cloud_monthly) +
           "/month against " + money(r.cost.own_monthly) + "/month for " + own + at + "; " +
           be + ". Own hardware still wins if the data must not leave the building.";
  }
  if (!r.usable) {
    line += " Note: no option reaches " + std::to_string(static_cast<int>(p.options.min_tokens_per_s)) +
            " tokens/s per user with all users active; expect slow answers.";
  }
  return line;
}

}  // namespace

double PlanOptions::tokens_per_day_value() const {
  if (tokens_per_day) return *tokens_per_day;
  return static_cast<double>(users) * requests_per_user_per_day *
         static_cast<double>(prompt_tokens + output_tokens);
}

double PlanOptions::input_share() const {
  return static_cast<double>(prompt_tokens) / static_cast<double>(prompt_tokens + output_tokens);
}

void PlanOptions::validate() const {
  require(users >= 1, "--users must be at least 1, got " + std::to_string(users));
  require(ctx >= 1, "--ctx must be at least 1 token, got " + std::to_string(ctx));
  require(!tokens_per_day || (std::isfinite(*tokens_per_day) && *tokens_per_day >= 0),
          "--tokens-per-day must be zero or more");
  require(requests_per_user_per_day >= 0, "--requests-per-user must be zero or more");
  require(prompt_tokens >= 1 && output_tokens >= 1,
          "--prompt-tokens and --output-tokens must be at least 1");
  require(std::isfinite(kwh_price) && kwh_price >= 0, "--kwh-price must be zero or more");
  require(std::isfinite(pue) && pue >= 1.0, "--pue must be 1.0 or more (1.0: no cooling overhead)");
  require(std::isfinite(years) && years > 0, "--years must be greater than zero");
  require(maintenance_pct >= 0 && maintenance_pct <= 100, "--maintenance must be 0-100 (% per year)");
  require(busy_hours > 0 && busy_hours <= 24, "--busy-hours must be in (0, 24]");
  require(idle_power_fraction >= 0 && idle_power_fraction <= 1, "idle power fraction must be 0-1");
  require(decode_efficiency > 0 && decode_efficiency <= 1, "decode efficiency must be in (0, 1]");
  require(prefill_efficiency > 0 && prefill_efficiency <= 1, "prefill efficiency must be in (0, 1]");
  require(min_tokens_per_s >= 0, "--min-tokens-per-s must be zero or more");
  require(max_units >= 1, "--max-units must be at least 1");
}

ModelInput model_from_catalog(const Catalog& catalog, const std::string& name,
                              const std::string& quant) {
  const auto& spec = catalog.model_named(name);
  const FileType ftype = file_type_from_name(quant);
  ModelInput m;
  m.shape = shape_from_spec(spec);
  m.parameters = parameter_count(m.shape);
  m.weights_bytes = weights_bytes(m.shape, ftype);
  m.quant = file_type_name(ftype);
  m.origin = "catalogue";
  m.licence = spec.licence;
  m.cloud_equivalent = spec.cloud_equivalent;
  return m;
}

PlanResult make_plan(const Catalog& catalog, const ModelInput& model, const PlanOptions& opts) {
  opts.validate();
  PlanResult p;
  p.model = model;
  p.options = opts;
  if (model.shape.n_ctx_train > 0 && opts.ctx > model.shape.n_ctx_train) {
    p.warnings.push_back("--ctx " + std::to_string(opts.ctx) + " is beyond the " +
                         std::to_string(model.shape.n_ctx_train) +
                         " tokens the model was trained on: quality degrades unless the model "
                         "supports RoPE scaling (sizes below are computed for the asked context)");
  }
  p.memory = estimate_memory(model, opts);
  p.cloud = pick_cloud(catalog, model, opts);
  p.tokens_per_month = opts.tokens_per_day_value() * kDaysPerMonth;
  const double in = opts.input_share();
  p.cloud_price_per_token =
      (in * p.cloud.input_per_million + (1 - in) * p.cloud.output_per_million) / 1e6;
  p.cloud_monthly = p.tokens_per_month * p.cloud_price_per_token;

  std::vector<const HardwareSpec*> chosen;
  for (const auto& name : opts.hardware) chosen.push_back(&catalog.hardware_named(name));
  if (chosen.empty()) {
    for (const auto& h : catalog.hardware) chosen.push_back(&h);
  }
  for (const auto* hw : chosen) {
    HardwareResult r;
    r.hw = *hw;
    const int64_t units = units_needed(*hw, p.memory.total_bytes);
    r.fits = units == 1;
    r.units_needed = units;
    r.within_max_units = units <= (can_split_across_units(*hw) ? opts.max_units : 1);
    r.speed = estimate_speed(model, p.memory, *hw, units, opts);
    r.cost = estimate_cost(*hw, units, r.speed, opts, p.tokens_per_month, p.cloud_price_per_token);
    r.usable = r.within_max_units &&
               r.speed.decode_tokens_per_s_per_user_at_load >= opts.min_tokens_per_s;
    p.hardware.push_back(std::move(r));
  }
  p.selected = pick_hardware(p.hardware);
  p.recommendation = recommend(p);
  return p;
}

}  // namespace cellar::plan
