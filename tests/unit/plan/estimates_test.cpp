// Memory, speed and cost estimates against arithmetic done by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "plan/estimates.h"
#include "plan/planner.h"

namespace cellar::plan {
namespace {

ModelInput toy_model() {
  ModelInput m;
  m.shape.name = "toy";
  m.shape.n_layer = 32;
  m.shape.n_embd = 4096;
  m.shape.n_head = 32;
  m.shape.n_head_kv = 8;
  m.shape.head_dim = 128;
  m.shape.n_ff = 14336;
  m.shape.n_vocab = 128256;
  m.shape.n_ctx_train = 8192;
  m.parameters = 8'000'000'000;
  m.weights_bytes = 4'000'000'000;
  return m;
}

HardwareSpec toy_gpu() {
  HardwareSpec h;
  h.name = "toy-gpu";
  h.kind = "gpu";
  h.memory_gb = 24;
  h.usable_memory_fraction = 0.9;
  h.bandwidth_gb_per_s = 1000;
  h.fp16_tflops = 100;
  h.power_w = 500;
  h.price_usd = 3600;
  return h;
}

TEST(Memory, SumsWeightsKvActivationsAndOverhead) {
  PlanOptions o;
  o.ctx = 8192;
  o.users = 4;
  auto mem = estimate_memory(toy_model(), o);
  EXPECT_EQ(mem.kv_cache_bytes_per_user, uint64_t{1} << 30);  // 32 x 2 x 8 x 128 x 8192 x 2
  EXPECT_EQ(mem.kv_cache_bytes, uint64_t{4} << 30);
  // 512 tokens x 4 bytes x (vocab + 2 hidden + 2 ffn)
  const uint64_t act = 512ull * 4 * (128256 + 2 * 4096 + 2 * 14336);
  EXPECT_EQ(mem.activations_bytes, act);
  EXPECT_EQ(mem.overhead_bytes, (512ull << 20) + 80'000'000);
  EXPECT_EQ(mem.total_bytes, 4'000'000'000 + (uint64_t{4} << 30) + act + (512ull << 20) + 80'000'000);
}

TEST(Memory, Q8_0KvCacheIs34BytesPer32Elements) {
  PlanOptions o;
  o.kv_type = GgmlType::Q8_0;
  auto mem = estimate_memory(toy_model(), o);
  EXPECT_EQ(mem.kv_cache_bytes_per_user, (uint64_t{1} << 29) / 32 * 34);
}

TEST(Memory, UnitsNeededRoundsUpOnUsableMemory) {
  auto h = toy_gpu();  // 21.6 GB usable
  EXPECT_EQ(units_needed(h, 21'600'000'000), 1);
  EXPECT_EQ(units_needed(h, 21'600'000'001), 2);
  EXPECT_EQ(units_needed(h, 50'000'000'000), 3);
}

TEST(Speed, DecodeIsBandwidthOverBytesPerToken) {
  PlanOptions o;
  o.ctx = 8192;
  o.users = 10;
  o.decode_efficiency = 0.5;
  o.prefill_efficiency = 0.5;
  auto m = toy_model();
  auto mem = estimate_memory(m, o);
  auto s = estimate_speed(m, mem, toy_gpu(), 1, o);
  const double bw = 500e9, kv = 1073741824.0;
  EXPECT_DOUBLE_EQ(s.decode_tokens_per_s_per_user, bw / (4e9 + kv));
  // Batched: weights once, ten KV caches: (4e9 + 10 kv) / bw seconds per step.
  EXPECT_DOUBLE_EQ(s.decode_tokens_per_s_per_user_at_load, bw / (4e9 + 10 * kv));
  EXPECT_DOUBLE_EQ(s.decode_tokens_per_s_aggregate, 10 * bw / (4e9 + 10 * kv));
  // Prefill: 50 TFLOP/s / (2 x 8e9 FLOP per token) = 3125 tokens/s.
  EXPECT_DOUBLE_EQ(s.prefill_tokens_per_s, 3125);
  EXPECT_DOUBLE_EQ(s.ttft_s, 512.0 / 3125 + 1 / s.decode_tokens_per_s_per_user);
}

TEST(Speed, ManyUsersHitTheComputeBound) {
  PlanOptions o;
  o.ctx = 16;
  o.users = 100000;
  o.prefill_efficiency = 0.5;
  auto m = toy_model();
  auto s = estimate_speed(m, estimate_memory(m, o), toy_gpu(), 1, o);
  EXPECT_NEAR(s.decode_tokens_per_s_aggregate, 3125, 1e-6);  // = prefill rate
}

TEST(Cost, BreakEvenIsFixedOverMarginAndNeverWhenTheCloudIsCheaper) {
  // $100 fixed per month, $0.1 power per M tokens, cloud $1 per M tokens:
  // 100 / (1e-6 - 1e-7) = 111.1 M tokens.
  auto be = break_even_tokens_per_month(100, 1e-7, 1e9, 1e-6);
  ASSERT_TRUE(be.has_value());
  EXPECT_NEAR(*be, 100 / 9e-7, 1e-3);
  // A full replica costs 100/50e6 + 1e-7 = 2.1e-6 per token > cloud: never.
  EXPECT_FALSE(break_even_tokens_per_month(100, 1e-7, 50e6, 1e-6).has_value());
  EXPECT_FALSE(break_even_tokens_per_month(100, 2e-6, 1e12, 1e-6).has_value());
}

TEST(Cost, MonthlyCostAddsAmortisationMaintenanceAndPower) {
  PlanOptions o;
  o.years = 3;
  o.maintenance_pct = 10;
  o.kwh_price = 0.2;
  o.pue = 1.5;
  o.idle_power_fraction = 0.3;
  o.busy_hours = 8;
  SpeedEstimate s;
  s.capacity_tokens_per_s = 1000;
  auto c = estimate_cost(toy_gpu(), 1, s, o, 0, 1e-6);
  EXPECT_DOUBLE_EQ(c.amortised_monthly, 3600.0 / 36);          // $100
  EXPECT_DOUBLE_EQ(c.maintenance_monthly, 3600.0 * 0.1 / 12);  // $30
  const double idle = 0.5 * 0.3 * 1.5 * 0.2 * kHoursPerMonth;  // kW x idle x PUE x $ x h
  EXPECT_NEAR(c.power_monthly, idle, 1e-9);
  EXPECT_NEAR(c.own_monthly, 130 + idle, 1e-9);
  // Busy energy per token: 0.5 kW x 0.7 x 1.5 x $0.2 / (1000 tok/s x 3600 s/h).
  EXPECT_NEAR(c.power_cost_per_token, 0.5 * 0.7 * 1.5 * 0.2 / 3.6e6, 1e-15);
  EXPECT_NEAR(c.monthly_capacity_tokens, 1000.0 * 3600 * 8 * kDaysPerMonth, 1e-3);
  // Twice a replica's monthly capacity needs two replicas.
  auto c2 = estimate_cost(toy_gpu(), 1, s, o, 2 * c.monthly_capacity_tokens, 1e-6);
  EXPECT_EQ(c2.replicas, 2);
  EXPECT_NEAR(c2.utilisation, 1.0, 1e-12);
  EXPECT_NEAR(own_monthly_at(c, 2 * c.monthly_capacity_tokens), c2.own_monthly, 1e-6);
}

TEST(Cost, OwnEqualsCloudAtTheBreakEvenVolume) {
  PlanOptions o;
  SpeedEstimate s;
  s.capacity_tokens_per_s = 5000;
  auto c = estimate_cost(toy_gpu(), 1, s, o, 1e6, 2e-6);
  ASSERT_TRUE(c.break_even_tokens_per_month.has_value());
  const double v = *c.break_even_tokens_per_month;
  EXPECT_NEAR(own_monthly_at(c, v), v * 2e-6, 1e-6);
}

TEST(Options, ImpossibleValuesAreRejectedByName) {
  auto expect_error = [](auto mutate, const char* word) {
    PlanOptions o;
    mutate(o);
    try {
      o.validate();
      ADD_FAILURE() << "no error for " << word;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(word), std::string::npos) << e.what();
    }
  };
  expect_error([](PlanOptions& o) { o.users = -3; }, "--users");
  expect_error([](PlanOptions& o) { o.ctx = 0; }, "--ctx");
  expect_error([](PlanOptions& o) { o.pue = 0.5; }, "--pue");
  expect_error([](PlanOptions& o) { o.years = 0; }, "--years");
  expect_error([](PlanOptions& o) { o.kwh_price = -1; }, "--kwh-price");
  expect_error([](PlanOptions& o) { o.tokens_per_day = -5.0; }, "--tokens-per-day");
}

TEST(Options, DefaultVolumeIsUsersTimesRequestsTimesTokens) {
  PlanOptions o;
  o.users = 20;
  EXPECT_DOUBLE_EQ(o.tokens_per_day_value(), 20 * 40 * 768.0);
  EXPECT_DOUBLE_EQ(o.input_share(), 512.0 / 768);
}

}  // namespace
}  // namespace cellar::plan

namespace cellar::plan {
namespace {

TEST(Cost, CardsPayForTheirHostOncePerHostFull) {
  HardwareSpec h = toy_gpu();
  h.host_price_usd = 1000;
  h.host_power_w = 200;
  h.units_per_host = 2;
  PlanOptions o;
  o.idle_power_fraction = 1.0;  // all power is fixed: easy to check
  o.pue = 1.0;
  o.kwh_price = 0.1;
  SpeedEstimate s;
  s.capacity_tokens_per_s = 1000;
  auto c = estimate_cost(h, 3, s, o, 0, 1e-6);  // 3 cards need 2 hosts
  EXPECT_DOUBLE_EQ(c.capex, 3 * 3600.0 + 2 * 1000.0);
  EXPECT_NEAR(c.power_monthly, (3 * 500 + 2 * 200) / 1000.0 * 0.1 * kHoursPerMonth, 1e-9);
}

}  // namespace
}  // namespace cellar::plan
