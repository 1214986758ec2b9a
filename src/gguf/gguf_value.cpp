#include "gguf/gguf_value.h"

#include <cstring>
#include <sstream>

namespace cellar {

std::string_view gguf_value_type_name(GgufValueType t) {
  switch (t) {
    case GgufValueType::UINT8: return "u8";
    case GgufValueType::INT8: return "i8";
    case GgufValueType::UINT16: return "u16";
    case GgufValueType::INT16: return "i16";
    case GgufValueType::UINT32: return "u32";
    case GgufValueType::INT32: return "i32";
    case GgufValueType::FLOAT32: return "f32";
    case GgufValueType::BOOL: return "bool";
    case GgufValueType::STRING: return "str";
    case GgufValueType::ARRAY: return "arr";
    case GgufValueType::UINT64: return "u64";
    case GgufValueType::INT64: return "i64";
    case GgufValueType::FLOAT64: return "f64";
  }
  return "?";
}

size_t gguf_scalar_size(GgufValueType t) {
  switch (t) {
    case GgufValueType::UINT8:
    case GgufValueType::INT8:
    case GgufValueType::BOOL: return 1;
    case GgufValueType::UINT16:
    case GgufValueType::INT16: return 2;
    case GgufValueType::UINT32:
    case GgufValueType::INT32:
    case GgufValueType::FLOAT32: return 4;
    case GgufValueType::UINT64:
    case GgufValueType::INT64:
    case GgufValueType::FLOAT64: return 8;
    case GgufValueType::STRING:
    case GgufValueType::ARRAY: return 0;
  }
  return 0;
}

bool GgufValue::is_integer() const {
  switch (type) {
    case GgufValueType::UINT8:
    case GgufValueType::INT8:
    case GgufValueType::UINT16:
    case GgufValueType::INT16:
    case GgufValueType::UINT32:
    case GgufValueType::INT32:
    case GgufValueType::UINT64:
    case GgufValueType::INT64: return true;
    default: return false;
  }
}

namespace {
template <typename T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}
}  // namespace

int64_t GgufValue::array_int(uint64_t idx) const {
  const uint8_t* p = raw + idx * gguf_scalar_size(elem_type);
  switch (elem_type) {
    case GgufValueType::UINT8: return load<uint8_t>(p);
    case GgufValueType::INT8: return load<int8_t>(p);
    case GgufValueType::BOOL: return load<uint8_t>(p) != 0;
    case GgufValueType::UINT16: return load<uint16_t>(p);
    case GgufValueType::INT16: return load<int16_t>(p);
    case GgufValueType::UINT32: return load<uint32_t>(p);
    case GgufValueType::INT32: return load<int32_t>(p);
    case GgufValueType::UINT64: return static_cast<int64_t>(load<uint64_t>(p));
    case GgufValueType::INT64: return load<int64_t>(p);
    case GgufValueType::FLOAT32: return static_cast<int64_t>(load<float>(p));
    case GgufValueType::FLOAT64: return static_cast<int64_t>(load<double>(p));
    default: return 0;
  }
}

double GgufValue::array_float(uint64_t idx) const {
  const uint8_t* p = raw + idx * gguf_scalar_size(elem_type);
  switch (elem_type) {
    case GgufValueType::FLOAT32: return load<float>(p);
    case GgufValueType::FLOAT64: return load<double>(p);
    default: return static_cast<double>(array_int(idx));
  }
}

std::string GgufValue::to_string(size_t max_items) const {
  std::ostringstream os;
  switch (type) {
    case GgufValueType::STRING: {
      std::string s(str.substr(0, 120));
      for (auto& c : s)
        if (c == '\n') c = ' ';
      os << '"' << s << (str.size() > 120 ? "...\"" : "\"");
      break;
    }
    case GgufValueType::BOOL: os << (num.i ? "true" : "false"); break;
    case GgufValueType::FLOAT32:
    case GgufValueType::FLOAT64: os << num.f; break;
    case GgufValueType::UINT64: os << num.u; break;
    case GgufValueType::ARRAY: {
      os << "[" << gguf_value_type_name(elem_type) << " x " << count << "] [";
      uint64_t n = count < max_items ? count : max_items;
      for (uint64_t i = 0; i < n; ++i) {
        if (i) os << ", ";
        if (!items.empty()) {
          os << items[i].to_string(max_items);
        } else if (elem_type == GgufValueType::FLOAT32 || elem_type == GgufValueType::FLOAT64) {
          os << array_float(i);
        } else {
          os << array_int(i);
        }
      }
      if (count > n) os << ", ...";
      os << "]";
      break;
    }
    default: os << num.i; break;
  }
  return os.str();
}

}  // namespace cellar
