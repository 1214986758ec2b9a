#include "plan/plan_report.h"

#include <cstdio>
#include <sstream>

namespace cellar::plan {
namespace {

using nlohmann::json;

json break_even_json(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

json model_json(const PlanResult& p) {
  const auto& m = p.model;
  const auto& s = m.shape;
  return {{"name", s.name},
          {"origin", m.origin},
          {"quant", m.quant},
          {"arch", s.arch},
          {"parameters", m.parameters},
          {"layers", s.n_layer},
          {"hidden", s.n_embd},
          {"heads", s.n_head},
          {"kv_heads", s.n_head_kv},
          {"head_dim", s.head_dim},
          {"ffn", s.n_ff},
          {"vocab", s.n_vocab},
          {"trained_context", s.n_ctx_train},
          {"tied_embeddings", s.tied_embeddings},
          {"licence", m.licence}};
}

json inputs_json(const PlanResult& p) {
  const auto& o = p.options;
  return {{"ctx", o.ctx},
          {"users", o.users},
          {"tokens_per_day", o.tokens_per_day_value()},
          {"tokens_per_month", p.tokens_per_month},
          {"prompt_tokens", o.prompt_tokens},
          {"output_tokens", o.output_tokens},
          {"kwh_price", o.kwh_price},
          {"pue", o.pue},
          {"years", o.years},
          {"maintenance_pct", o.maintenance_pct},
          {"busy_hours", o.busy_hours},
          {"idle_power_fraction", o.idle_power_fraction},
          {"kv_type", std::string(ggml_type_info(o.kv_type).name)},
          {"decode_efficiency", o.decode_efficiency},
          {"prefill_efficiency", o.prefill_efficiency},
          {"efficiency_source", o.efficiency_measured ? "measured" : "default"},
          {"efficiency_note", o.efficiency_note},
          {"min_tokens_per_s", o.min_tokens_per_s},
          {"max_units", o.max_units}};
}

json hardware_json(const HardwareResult& r) {
  const auto& s = r.speed;
  const auto& c = r.cost;
  return {{"name", r.hw.name},
          {"title", r.hw.title},
          {"kind", r.hw.kind},
          {"fits", r.fits},
          {"units_needed", r.units_needed},
          {"within_max_units", r.within_max_units},
          {"usable", r.usable},
          {"usable_memory_bytes_per_unit", r.hw.memory_gb * 1e9 * r.hw.usable_memory_fraction},
          {"decode_tokens_per_s_per_user", s.decode_tokens_per_s_per_user},
          {"decode_tokens_per_s_per_user_at_load", s.decode_tokens_per_s_per_user_at_load},
          {"decode_tokens_per_s_aggregate", s.decode_tokens_per_s_aggregate},
          {"prefill_tokens_per_s", s.prefill_tokens_per_s},
          {"ttft_s", s.ttft_s},
          {"capacity_tokens_per_s", s.capacity_tokens_per_s},
          {"cost",
           {{"capex", c.capex * c.replicas},
            {"replicas", c.replicas},
            {"utilisation", c.utilisation},
            {"amortised_monthly", c.amortised_monthly},
            {"maintenance_monthly", c.maintenance_monthly},
            {"power_monthly", c.power_monthly},
            {"own_monthly", c.own_monthly},
            {"break_even_tokens_per_month", break_even_json(c.break_even_tokens_per_month)}}},
          {"source", r.hw.source},
          {"date", r.hw.date}};
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string money(double v) { return fmt(v >= 100 ? "$%.0f" : "$%.2f", v); }

std::string millions(double v) { return fmt(v >= 1e9 ? "%.0f M" : "%.2f M", v / 1e6); }

void write_table(std::ostringstream& out, const PlanResult& p) {
  char line[256];
  std::snprintf(line, sizeof line, "  %-22s %4s %5s %9s %9s %9s %8s %10s\n", "hardware", "fits",
                "units", "tok/s 1u", "tok/s Nu", "agg tok/s", "TTFT s", "own $/mo");
  out << line;
  for (size_t i = 0; i < p.hardware.size(); ++i) {
    const auto& r = p.hardware[i];
    const char mark = static_cast<int>(i) == p.selected ? '*' : ' ';
    const auto units = static_cast<long long>(r.units_needed * r.cost.replicas);
    if (!r.within_max_units) {
      std::snprintf(line, sizeof line, "%c %-22s %4s %5lld %9s %9s %9s %8s %10s\n", mark,
                    r.hw.name.c_str(), "no", static_cast<long long>(r.units_needed), "-", "-",
                    "-", "-", "too big");
    } else {
      std::snprintf(line, sizeof line, "%c %-22s %4s %5lld %9.1f %9.1f %9.0f %8.2f %10s\n", mark,
                    r.hw.name.c_str(), r.fits ? "yes" : "no", units,
                    r.speed.decode_tokens_per_s_per_user,
                    r.speed.decode_tokens_per_s_per_user_at_load,
                    r.speed.decode_tokens_per_s_aggregate, r.speed.ttft_s,
                    money(r.cost.own_monthly).c_str());
    }
    out << line;
  }
}

}  // namespace

std::string format_bytes(uint64_t bytes) {
  const double b = static_cast<double>(bytes);
  if (b >= 1024.0 * 1024 * 1024) return fmt("%.2f GiB", b / (1024.0 * 1024 * 1024));
  if (b >= 1024.0 * 1024) return fmt("%.0f MiB", b / (1024.0 * 1024));
  return fmt("%.0f KiB", b / 1024.0);
}

json plan_to_json(const PlanResult& p) {
  json hw = json::array();
  for (const auto& r : p.hardware) hw.push_back(hardware_json(r));
  const HardwareResult* sel = p.selected >= 0 ? &p.hardware[p.selected] : nullptr;
  json cost = {
      {"hardware", sel ? json(sel->hw.name) : json(nullptr)},
      {"units", sel ? json(sel->units_needed * sel->cost.replicas) : json(nullptr)},
      {"own_monthly", sel ? json(sel->cost.own_monthly) : json(nullptr)},
      {"cloud_monthly", p.cloud_monthly},
      {"break_even_tokens_per_month",
       sel ? break_even_json(sel->cost.break_even_tokens_per_month) : json(nullptr)},
      {"tokens_per_month", p.tokens_per_month},
      {"cloud_price_per_million_blended", p.cloud_price_per_token * 1e6},
      {"cloud",
       {{"name", p.cloud.name},
        {"provider", p.cloud.provider},
        {"model", p.cloud.model},
        {"input_per_million", p.cloud.input_per_million},
        {"output_per_million", p.cloud.output_per_million},
        {"source", p.cloud.source},
        {"date", p.cloud.date}}}};
  return {{"model", model_json(p)},
          {"inputs", inputs_json(p)},
          {"memory",
           {{"weights_bytes", p.memory.weights_bytes},
            {"kv_cache_bytes", p.memory.kv_cache_bytes},
            {"kv_cache_bytes_per_user", p.memory.kv_cache_bytes_per_user},
            {"activations_bytes", p.memory.activations_bytes},
            {"overhead_bytes", p.memory.overhead_bytes},
            {"total_bytes", p.memory.total_bytes}}},
          {"hardware", hw},
          {"selected", sel ? json(sel->hw.name) : json(nullptr)},
          {"cost", cost},
          {"warnings", p.warnings},
          {"recommendation", p.recommendation}};
}

std::string plan_to_text(const PlanResult& p) {
  std::ostringstream out;
  const auto& m = p.model;
  const auto& o = p.options;
  out << "Model    " << m.shape.name << " (" << m.origin << "), " << m.quant << ", "
      << (m.parameters >= 1e9 ? fmt("%.2f B parameters", m.parameters / 1e9)
                                : fmt("%.2f M parameters", m.parameters / 1e6))
      << "\n";
  out << "Load     " << o.users << " concurrent users x " << o.ctx << " tokens of context, "
      << millions(p.tokens_per_month) << " tokens/month\n\n";
  const auto& mem = p.memory;
  out << "Memory   weights " << format_bytes(mem.weights_bytes) << " + KV cache "
      << format_bytes(mem.kv_cache_bytes) << " (" << format_bytes(mem.kv_cache_bytes_per_user)
      << "/user, " << ggml_type_info(o.kv_type).name << ") + activations "
      << format_bytes(mem.activations_bytes) << " + overhead " << format_bytes(mem.overhead_bytes)
      << " = " << format_bytes(mem.total_bytes) << "\n";
  out << "Speed    decode at full context, " << fmt("%.3g%%", o.decode_efficiency * 100)
      << " of peak bandwidth, prefill at " << fmt("%.3g%%", o.prefill_efficiency * 100)
      << " of peak FP16 (" << (o.efficiency_measured ? "measured" : "defaults") << ")";
  if (!o.efficiency_note.empty()) out << "\n         " << o.efficiency_note;
  out << "\n\n";
  write_table(out, p);
  out << "  (tok/s 1u: one user alone; Nu: each of " << o.users
      << " users decoding together; * = selected)\n\n";
  out << "Cloud    " << p.cloud.name << " (" << p.cloud.provider << " " << p.cloud.model << ", $"
      << p.cloud.input_per_million << " in / $" << p.cloud.output_per_million
      << " out per M tokens, " << p.cloud.date << "): " << money(p.cloud_monthly) << "/month\n";
  if (p.selected >= 0) {
    const auto& c = p.hardware[p.selected].cost;
    out << "Own      " << money(c.own_monthly) << "/month = amortised " << money(c.amortised_monthly)
        << " + maintenance " << money(c.maintenance_monthly) << " + power "
        << money(c.power_monthly) << fmt(" (%.1f%% busy-hour utilisation)", c.utilisation * 100)
        << "\n";
    out << "Break-even "
        << (c.break_even_tokens_per_month ? millions(*c.break_even_tokens_per_month) + " tokens/month"
                                          : std::string("never at these prices"))
        << "\n";
  }
  for (const auto& w : p.warnings) out << "\nWarning: " << w << "\n";
  out << "\n" << p.recommendation << "\n";
  if (!m.licence.empty()) out << "Licence: " << m.licence << "\n";
  return out.str();
}

}  // namespace cellar::plan
