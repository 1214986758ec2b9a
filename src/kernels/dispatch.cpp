// Picks the ISA once at start-up from CPUID (__builtin_cpu_supports) and
// builds the active kernel table: every slot takes the chosen ISA's kernel
// when it has one and the scalar reference otherwise.
#include "kernels/dispatch.h"

#include <cpuid.h>
#include <cstring>

#include <atomic>
#include <stdexcept>
#include <string>

#include "kernels/type_traits.h"

namespace cellar::kernels {
namespace {

// F16C straight from CPUID leaf 1 (ECX bit 29): clang 14's __builtin_cpu_supports has no "f16c".
bool cpu_has_f16c() {
  unsigned eax, ebx, ecx, edx;
  return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_F16C) != 0;
}

bool cpu_has_avx2() {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && cpu_has_f16c();
}

bool cpu_has_avx512() {
  return cpu_has_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vnni");  // BF16 optional: cpu_has_avx512_bf16
}

const IsaKernels& isa_table(Isa isa) {
  switch (isa) {
    case Isa::kAvx512:
      return avx512_kernels();
    case Isa::kAvx2:
      return avx2_kernels();
    default:
      return scalar_kernels();
  }
}

ActiveKernels build(Isa isa) {
  const IsaKernels& k = isa_table(isa);
  const VecOps& s = scalar_kernels().vec;
  ActiveKernels a;
  a.isa = isa;
  a.vec.dot_f32 = k.vec.dot_f32 ? k.vec.dot_f32 : s.dot_f32;
  a.vec.dot_f16_f32 = k.vec.dot_f16_f32 ? k.vec.dot_f16_f32 : s.dot_f16_f32;
  a.vec.axpy_f16 = k.vec.axpy_f16 ? k.vec.axpy_f16 : s.axpy_f16;
  a.vec.fp32_to_fp16_row = k.vec.fp32_to_fp16_row ? k.vec.fp32_to_fp16_row : s.fp32_to_fp16_row;
  a.vec.swiglu = k.vec.swiglu ? k.vec.swiglu : s.swiglu;
  a.vec.exp_f32 = k.vec.exp_f32 ? k.vec.exp_f32 : s.exp_f32;
  a.quantize_acts = k.quantize_acts ? k.quantize_acts : scalar_kernels().quantize_acts;
  for (size_t id = 0; id < a.gemm.size(); ++id) {
    const auto t = static_cast<GgmlType>(id);
    const TypeKernels* tk = type_kernels(t);
    if (!tk) continue;
    GemmFn f = k.gemm(t);
    a.gemm[id] = f ? f : tk->scalar_gemm;
    GemmFn fx = k.gemm_x16(t);
    a.gemm_x16[id] = fx ? fx : scalar_gemm_x16(t);
    a.x16_native[id] = fx != nullptr;
  }
  return a;
}

// Two prebuilt tables per ISA would also do; one mutable pointer keeps
// set_isa() cheap and thread-safe to read.
std::atomic<const ActiveKernels*>& current() {
  static std::atomic<const ActiveKernels*> ptr{nullptr};
  return ptr;
}

const ActiveKernels& table_for(Isa isa) {
  static const ActiveKernels kTables[3] = {build(Isa::kScalar), build(cpu_has_avx2() ? Isa::kAvx2 : Isa::kScalar),
                                           build(cpu_has_avx512() ? Isa::kAvx512 : Isa::kScalar)};
  return kTables[static_cast<int>(isa)];
}

}  // namespace

Isa detected_isa() {
  static const Isa kBest = cpu_has_avx512() ? Isa::kAvx512 : cpu_has_avx2() ? Isa::kAvx2 : Isa::kScalar;
  return kBest;
}

bool isa_available(Isa isa) {
  switch (isa) {
    case Isa::kAvx512:
      return cpu_has_avx512();
    case Isa::kAvx2:
      return cpu_has_avx2();
    default:
      return true;
  }
}

const ActiveKernels& active() {
  const ActiveKernels* p = current().load(std::memory_order_acquire);
  if (!p) {
    p = &table_for(detected_isa());
    current().store(p, std::memory_order_release);
  }
  return *p;
}

Isa active_isa() { return active().isa; }

void set_isa(Isa isa) {
  if (!isa_available(isa)) {
    throw std::invalid_argument("this CPU does not support the " + std::string(isa_name(isa)) + " kernels");
  }
  current().store(&table_for(isa), std::memory_order_release);
}

std::string_view isa_name(Isa isa) {
  switch (isa) {
    case Isa::kAvx512:
      return "avx512";
    case Isa::kAvx2:
      return "avx2";
    default:
      return "scalar";
  }
}

bool cpu_has_avx512_bf16() { return __builtin_cpu_supports("avx512bf16"); }

std::string cpu_model() {
  unsigned regs[4] = {};
  if (!__get_cpuid(0, &regs[0], &regs[1], &regs[2], &regs[3])) return "unknown";
  char vendor[13] = {};
  std::memcpy(vendor, &regs[1], 4);  // EBX, EDX, ECX spell the vendor
  std::memcpy(vendor + 4, &regs[3], 4);
  std::memcpy(vendor + 8, &regs[2], 4);
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  __get_cpuid(1, &eax, &ebx, &ecx, &edx);
  // Display family and model as the Intel SDM and AMD APM define them: the
  // extended fields count only when the base family is 0xF (0x6 adds the
  // extended model too, on Intel).
  const unsigned base_family = (eax >> 8) & 0xF, base_model = (eax >> 4) & 0xF;
  const unsigned family = base_family == 0xF ? base_family + ((eax >> 20) & 0xFF) : base_family;
  const unsigned model =
      (base_family == 0xF || base_family == 0x6) ? base_model + (((eax >> 16) & 0xF) << 4) : base_model;
  std::string brand;
  unsigned max_ext = __get_cpuid_max(0x80000000, nullptr);
  if (max_ext >= 0x80000004) {
    char text[49] = {};
    for (unsigned leaf = 0; leaf < 3; ++leaf) {
      __get_cpuid(0x80000002 + leaf, &regs[0], &regs[1], &regs[2], &regs[3]);
      std::memcpy(text + 16 * leaf, regs, 16);
    }
    brand = text;
    while (!brand.empty() && brand.back() == ' ') brand.pop_back();
    brand.erase(0, brand.find_first_not_of(' '));
  }
  return describe_cpu(brand, vendor, family, model);
}

std::string describe_cpu(const std::string& brand, const std::string& vendor, unsigned family, unsigned model) {
  const std::string name = brand.empty() ? "CPU without a brand string" : brand;
  return name + " (" + (vendor.empty() ? "unknown vendor" : vendor) + ", family " + std::to_string(family) +
         ", model " + std::to_string(model) + ")";
}

std::string cpu_features() {
  std::string out;
  auto add = [&](bool has, const char* name) {
    if (!has) return;
    if (!out.empty()) out += ' ';
    out += name;
  };
  add(__builtin_cpu_supports("avx2"), "avx2");
  add(__builtin_cpu_supports("fma"), "fma");
  add(cpu_has_f16c(), "f16c");
  add(__builtin_cpu_supports("avx512f"), "avx512f");
  add(__builtin_cpu_supports("avx512bw"), "avx512bw");
  add(__builtin_cpu_supports("avx512vl"), "avx512vl");
  add(__builtin_cpu_supports("avx512dq"), "avx512dq");
  add(__builtin_cpu_supports("avx512vnni"), "avx512vnni");
  add(__builtin_cpu_supports("avx512bf16"), "avx512bf16");
  return out;
}

}  // namespace cellar::kernels
