#include "model/arch/arch.h"

#include "model/model.h"

namespace cellar {

namespace {
const ArchSpec* const kArchs[] = {&kLlamaArch, &kQwen2Arch};
}

const ArchSpec* find_arch(std::string_view name) {
  for (const ArchSpec* a : kArchs) {
    if (a->name == name) return a;
  }
  return nullptr;
}

std::vector<std::string_view> supported_archs() {
  std::vector<std::string_view> out;
  for (const ArchSpec* a : kArchs) out.push_back(a->name);
  return out;
}

namespace {

std::string shape_string(const std::vector<int64_t>& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

}  // namespace

TensorView bind_optional_tensor(const GgufFile& file, const std::string& name, std::vector<int64_t> shape) {
  const GgufTensorInfo* t = file.find_tensor(name);
  if (!t) return {};
  std::vector<int64_t> actual = t->dims;
  while (actual.size() > shape.size() && actual.back() == 1) actual.pop_back();
  if (actual != shape) {
    throw ModelError("tensor '" + name + "' has shape " + shape_string(t->dims) + ", expected " +
                     shape_string(shape));
  }
  const auto& info = ggml_type_info(t->type);
  if (!info.supported) {
    throw ModelError("tensor '" + name + "' has type " + std::string(info.name) +
                     ", which Cellar does not support (supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, "
                     "Q2_K, Q3_K, Q4_K, Q5_K, Q6_K); re-quantize the model with one of these types");
  }
  TensorView v;
  v.data = file.tensor_data(*t);
  v.type = t->type;
  v.cols = t->ne(0);
  v.rows = t->n_elements / v.cols;
  return v;
}

TensorView bind_tensor(const GgufFile& file, const std::string& name, std::vector<int64_t> shape) {
  TensorView v = bind_optional_tensor(file, name, shape);
  if (!v) throw ModelError("missing tensor '" + name + "' (" + file.path() + ")");
  return v;
}

}  // namespace cellar
