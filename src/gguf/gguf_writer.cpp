#include "gguf/gguf_writer.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cellar {
namespace {

template <typename T>
void append(std::vector<uint8_t>& out, T v) {
  size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &v, sizeof(T));
}

void append_string(std::vector<uint8_t>& out, std::string_view s) {
  append<uint64_t>(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

template <typename T>
std::vector<uint8_t> encode_array(GgufValueType et, const std::vector<T>& v) {
  std::vector<uint8_t> out;
  append<uint32_t>(out, static_cast<uint32_t>(et));
  append<uint64_t>(out, v.size());
  for (const auto& x : v) append<T>(out, x);
  return out;
}

void encode_value(std::vector<uint8_t>& out, const GgufValue& v);

void encode_array_value(std::vector<uint8_t>& out, const GgufValue& v) {
  append<uint32_t>(out, static_cast<uint32_t>(v.elem_type));
  append<uint64_t>(out, v.count);
  if (v.items.empty()) {
    size_t n = v.count * gguf_scalar_size(v.elem_type);
    out.insert(out.end(), v.raw, v.raw + n);
    return;
  }
  for (const auto& item : v.items) encode_value(out, item);
}

void encode_value(std::vector<uint8_t>& out, const GgufValue& v) {
  switch (v.type) {
    case GgufValueType::UINT8: append<uint8_t>(out, static_cast<uint8_t>(v.num.u)); break;
    case GgufValueType::INT8: append<int8_t>(out, static_cast<int8_t>(v.num.i)); break;
    case GgufValueType::BOOL: append<uint8_t>(out, v.num.i ? 1 : 0); break;
    case GgufValueType::UINT16: append<uint16_t>(out, static_cast<uint16_t>(v.num.u)); break;
    case GgufValueType::INT16: append<int16_t>(out, static_cast<int16_t>(v.num.i)); break;
    case GgufValueType::UINT32: append<uint32_t>(out, static_cast<uint32_t>(v.num.u)); break;
    case GgufValueType::INT32: append<int32_t>(out, static_cast<int32_t>(v.num.i)); break;
    case GgufValueType::UINT64: append<uint64_t>(out, v.num.u); break;
    case GgufValueType::INT64: append<int64_t>(out, v.num.i); break;
    case GgufValueType::FLOAT32: append<float>(out, static_cast<float>(v.num.f)); break;
    case GgufValueType::FLOAT64: append<double>(out, v.num.f); break;
    case GgufValueType::STRING: append_string(out, v.str); break;
    case GgufValueType::ARRAY: encode_array_value(out, v); break;
  }
}

}  // namespace

void GgufWriter::put(std::string key, GgufValueType type, std::vector<uint8_t> payload) {
  for (auto& kv : kv_) {
    if (kv.key == key) {
      kv.type = type;
      kv.payload = std::move(payload);
      return;
    }
  }
  kv_.push_back({std::move(key), type, std::move(payload)});
}

void GgufWriter::set_u32(std::string key, uint32_t v) {
  std::vector<uint8_t> p;
  append(p, v);
  put(std::move(key), GgufValueType::UINT32, std::move(p));
}
void GgufWriter::set_i32(std::string key, int32_t v) {
  std::vector<uint8_t> p;
  append(p, v);
  put(std::move(key), GgufValueType::INT32, std::move(p));
}
void GgufWriter::set_u64(std::string key, uint64_t v) {
  std::vector<uint8_t> p;
  append(p, v);
  put(std::move(key), GgufValueType::UINT64, std::move(p));
}
void GgufWriter::set_f32(std::string key, float v) {
  std::vector<uint8_t> p;
  append(p, v);
  put(std::move(key), GgufValueType::FLOAT32, std::move(p));
}
void GgufWriter::set_bool(std::string key, bool v) {
  put(std::move(key), GgufValueType::BOOL, {static_cast<uint8_t>(v ? 1 : 0)});
}
void GgufWriter::set_string(std::string key, std::string v) {
  std::vector<uint8_t> p;
  append_string(p, v);
  put(std::move(key), GgufValueType::STRING, std::move(p));
}
void GgufWriter::set_string_array(std::string key, std::vector<std::string> v) {
  std::vector<uint8_t> p;
  append<uint32_t>(p, static_cast<uint32_t>(GgufValueType::STRING));
  append<uint64_t>(p, v.size());
  for (const auto& s : v) append_string(p, s);
  put(std::move(key), GgufValueType::ARRAY, std::move(p));
}
void GgufWriter::set_f32_array(std::string key, std::vector<float> v) {
  put(std::move(key), GgufValueType::ARRAY, encode_array(GgufValueType::FLOAT32, v));
}
void GgufWriter::set_i32_array(std::string key, std::vector<int32_t> v) {
  put(std::move(key), GgufValueType::ARRAY, encode_array(GgufValueType::INT32, v));
}
void GgufWriter::copy_value(std::string key, const GgufValue& v) {
  std::vector<uint8_t> p;
  encode_value(p, v);
  put(std::move(key), v.type, std::move(p));
}

void GgufWriter::add_tensor(std::string name, GgmlType type, std::vector<int64_t> dims, Fill fill) {
  const auto& info = ggml_type_info(type);
  if (dims.empty() || dims.size() > 4) throw std::invalid_argument("tensor '" + name + "': 1 to 4 dimensions");
  if (dims[0] % info.block_size != 0) {
    throw std::invalid_argument("tensor '" + name + "': row length " + std::to_string(dims[0]) +
                                " is not a multiple of " + std::string(info.name) + "'s block size");
  }
  uint64_t n = 1;
  for (auto d : dims) n *= static_cast<uint64_t>(d);
  uint64_t bytes = n / info.block_size * info.type_size;
  tensors_.push_back({std::move(name), type, std::move(dims), bytes, std::move(fill)});
}

void GgufWriter::serialize(std::ostream& os) const {
  std::vector<uint8_t> head;
  append<uint32_t>(head, 0x46554747);
  append<uint32_t>(head, 3);
  append<uint64_t>(head, tensors_.size());
  bool has_alignment = false;
  for (const auto& kv : kv_) has_alignment |= kv.key == "general.alignment";
  append<uint64_t>(head, kv_.size() + (alignment_ != 32 && !has_alignment ? 1 : 0));
  for (const auto& kv : kv_) {
    append_string(head, kv.key);
    append<uint32_t>(head, static_cast<uint32_t>(kv.type));
    head.insert(head.end(), kv.payload.begin(), kv.payload.end());
  }
  if (alignment_ != 32 && !has_alignment) {
    append_string(head, "general.alignment");
    append<uint32_t>(head, static_cast<uint32_t>(GgufValueType::UINT32));
    append<uint32_t>(head, alignment_);
  }
  uint64_t offset = 0;
  for (const auto& t : tensors_) {
    append_string(head, t.name);
    append<uint32_t>(head, static_cast<uint32_t>(t.dims.size()));
    for (auto d : t.dims) append<uint64_t>(head, static_cast<uint64_t>(d));
    append<uint32_t>(head, static_cast<uint32_t>(t.type));
    append<uint64_t>(head, offset);
    offset += (t.n_bytes + alignment_ - 1) / alignment_ * alignment_;
  }
  head.resize((head.size() + alignment_ - 1) / alignment_ * alignment_, 0);
  os.write(reinterpret_cast<const char*>(head.data()), static_cast<std::streamsize>(head.size()));
  std::vector<uint8_t> buf;
  for (const auto& t : tensors_) {
    uint64_t padded = (t.n_bytes + alignment_ - 1) / alignment_ * alignment_;
    buf.assign(padded, 0);
    t.fill(buf.data(), t.n_bytes);
    os.write(reinterpret_cast<const char*>(buf.data()), static_cast<std::streamsize>(padded));
  }
}

void GgufWriter::write(const std::string& path) const {
  std::string tmp = path + ".tmp";
  {
    std::ofstream os(tmp, std::ios::binary | std::ios::trunc);
    if (!os) throw std::runtime_error("cannot write '" + tmp + "'");
    serialize(os);
    os.flush();
    if (!os) throw std::runtime_error("error writing '" + tmp + "' (disk full?)");
  }
  std::filesystem::rename(tmp, path);
}

std::vector<uint8_t> GgufWriter::to_bytes() const {
  std::ostringstream os(std::ios::binary);
  serialize(os);
  const std::string s = os.str();
  return {s.begin(), s.end()};
}

}  // namespace cellar
