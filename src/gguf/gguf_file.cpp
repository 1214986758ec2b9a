// GGUF parser. Layout (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md):
//   magic "GGUF" | u32 version | u64 n_tensors | u64 n_kv | kv pairs | tensor infos |
//   padding to general.alignment | tensor data (each tensor at an aligned offset).
// Every read goes through Cursor, which checks the remaining bytes first, so a
// hostile header can at worst produce a GgufError naming what was wrong and where.
#include "gguf/gguf_file.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <unordered_set>

#include "gguf/mapped_file.h"

namespace cellar {
namespace {

constexpr uint32_t kMagic = 0x46554747;  // "GGUF" little-endian
constexpr int kMaxArrayDepth = 4;

class Cursor {
 public:
  Cursor(const uint8_t* data, uint64_t size) : data_(data), size_(size) {}
  uint64_t pos() const { return pos_; }
  uint64_t remaining() const { return size_ - pos_; }

  void need(uint64_t n, const std::string& what) const {
    if (n > remaining()) {
      throw GgufError("truncated file: " + what + " at byte offset " + std::to_string(pos_) + " needs " +
                      std::to_string(n) + " bytes but only " + std::to_string(remaining()) + " remain");
    }
  }
  template <typename T>
  T read(const std::string& what) {
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, data_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  std::string_view read_string(const std::string& what) {
    uint64_t start = pos_;
    uint64_t len = read<uint64_t>(what + " length");
    if (len > remaining()) {
      throw GgufError("invalid " + what + " at byte offset " + std::to_string(start) + ": length " +
                      std::to_string(len) + " exceeds the " + std::to_string(remaining()) + " bytes left in the file");
    }
    std::string_view s(reinterpret_cast<const char*>(data_ + pos_), len);
    pos_ += len;
    return s;
  }
  const uint8_t* skip(uint64_t n, const std::string& what) {
    need(n, what);
    const uint8_t* p = data_ + pos_;
    pos_ += n;
    return p;
  }

 private:
  const uint8_t* data_;
  uint64_t size_;
  uint64_t pos_ = 0;
};

bool valid_value_type(uint32_t t) { return t <= static_cast<uint32_t>(GgufValueType::FLOAT64); }

void read_value(Cursor& c, GgufValueType type, GgufValue& out, const std::string& what, int depth);

void read_array(Cursor& c, GgufValue& out, const std::string& what, int depth) {
  uint64_t at = c.pos();
  if (depth >= kMaxArrayDepth) {
    throw GgufError("invalid " + what + " at byte offset " + std::to_string(at) + ": arrays nested deeper than " +
                    std::to_string(kMaxArrayDepth));
  }
  uint32_t et = c.read<uint32_t>(what + " element type");
  if (!valid_value_type(et)) {
    throw GgufError("invalid " + what + " at byte offset " + std::to_string(at) + ": unknown element type " +
                    std::to_string(et));
  }
  out.elem_type = static_cast<GgufValueType>(et);
  out.count = c.read<uint64_t>(what + " element count");
  size_t esz = gguf_scalar_size(out.elem_type);
  // Even a string or array element takes at least 8 bytes (its length/count).
  uint64_t min_each = esz ? esz : 8;
  if (out.count > c.remaining() / min_each) {
    throw GgufError("invalid " + what + " at byte offset " + std::to_string(at) + ": " + std::to_string(out.count) +
                    " elements cannot fit in the " + std::to_string(c.remaining()) + " bytes left in the file");
  }
  if (esz) {
    out.raw = c.skip(out.count * esz, what + " data");
    return;
  }
  out.items.resize(out.count);
  for (uint64_t i = 0; i < out.count; ++i) {
    read_value(c, out.elem_type, out.items[i], what + "[" + std::to_string(i) + "]", depth + 1);
  }
}

void read_value(Cursor& c, GgufValueType type, GgufValue& out, const std::string& what, int depth) {
  out.type = type;
  switch (type) {
    case GgufValueType::UINT8: out.num.u = c.read<uint8_t>(what); break;
    case GgufValueType::INT8: out.num.i = c.read<int8_t>(what); break;
    case GgufValueType::UINT16: out.num.u = c.read<uint16_t>(what); break;
    case GgufValueType::INT16: out.num.i = c.read<int16_t>(what); break;
    case GgufValueType::UINT32: out.num.u = c.read<uint32_t>(what); break;
    case GgufValueType::INT32: out.num.i = c.read<int32_t>(what); break;
    case GgufValueType::UINT64: out.num.u = c.read<uint64_t>(what); break;
    case GgufValueType::INT64: out.num.i = c.read<int64_t>(what); break;
    case GgufValueType::FLOAT32: out.num.f = c.read<float>(what); break;
    case GgufValueType::FLOAT64: out.num.f = c.read<double>(what); break;
    case GgufValueType::BOOL: {
      uint8_t b = c.read<uint8_t>(what);
      if (b > 1) throw GgufError("invalid " + what + ": bool value " + std::to_string(b) + " is neither 0 nor 1");
      out.num.i = b;
      break;
    }
    case GgufValueType::STRING: out.str = c.read_string(what); break;
    case GgufValueType::ARRAY: read_array(c, out, what, depth); break;
  }
}

std::string tensor_label(uint64_t idx, const std::string& name) {
  return "tensor #" + std::to_string(idx) + (name.empty() ? "" : " '" + name + "'");
}

}  // namespace

GgufFile::~GgufFile() = default;

std::unique_ptr<GgufFile> GgufFile::open(const std::string& path) {
  std::unique_ptr<GgufFile> f(new GgufFile());
  f->path_ = path;
  f->map_ = std::make_unique<MappedFile>(path);
  try {
    f->parse();
  } catch (const GgufError& e) {
    throw GgufError(path + ": " + e.what());
  }
  return f;
}

std::unique_ptr<GgufFile> GgufFile::from_bytes(const void* data, size_t size) {
  std::unique_ptr<GgufFile> f(new GgufFile());
  f->path_ = "<memory>";
  f->map_ = std::make_unique<MappedFile>(data, size);
  f->parse();
  return f;
}

const uint8_t* GgufFile::base() const { return map_->data(); }

bool GgufFile::lock_memory(std::string* err) const { return map_->lock(err); }

namespace {

uint64_t parse_alignment(const GgufValue* v) {
  if (!v) return 32;
  if (v->type != GgufValueType::UINT32) {
    throw GgufError("invalid metadata 'general.alignment': type " + std::string(gguf_value_type_name(v->type)) +
                    ", expected u32");
  }
  uint64_t a = v->num.u;
  if (a == 0 || (a & (a - 1)) != 0) {
    throw GgufError("invalid metadata 'general.alignment': " + std::to_string(a) + " is not a power of two");
  }
  return a;
}

// Reads one tensor info record; computes its element count and byte size with overflow checks.
GgufTensorInfo read_tensor_info(Cursor& c, uint64_t idx) {
  GgufTensorInfo t;
  uint64_t at = c.pos();
  t.name = std::string(c.read_string(tensor_label(idx, "") + " name"));
  const std::string label = tensor_label(idx, t.name);
  uint32_t n_dims = c.read<uint32_t>(label + " n_dims");
  if (n_dims == 0 || n_dims > static_cast<uint32_t>(kGgufMaxDims)) {
    throw GgufError("invalid " + label + " at byte offset " + std::to_string(at) + ": n_dims " +
                    std::to_string(n_dims) + " is outside 1.." + std::to_string(kGgufMaxDims));
  }
  int64_t n_elements = 1;
  for (uint32_t d = 0; d < n_dims; ++d) {
    uint64_t ne = c.read<uint64_t>(label + " dimension " + std::to_string(d));
    if (ne == 0 || ne > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
        __builtin_mul_overflow(n_elements, static_cast<int64_t>(ne), &n_elements)) {
      throw GgufError("invalid " + label + ": dimension " + std::to_string(d) + " = " + std::to_string(ne) +
                      (ne == 0 ? " is zero" : " overflows the element count"));
    }
    t.dims.push_back(static_cast<int64_t>(ne));
  }
  uint32_t type_id = c.read<uint32_t>(label + " type");
  auto info = ggml_type_info(type_id);
  if (!info) throw GgufError("invalid " + label + ": unknown tensor type id " + std::to_string(type_id));
  t.type = static_cast<GgmlType>(type_id);
  if (t.dims[0] % info->block_size != 0) {
    throw GgufError("invalid " + label + ": row length " + std::to_string(t.dims[0]) + " is not a multiple of " +
                    std::string(info->name) + "'s block size " + std::to_string(info->block_size));
  }
  t.n_elements = n_elements;
  uint64_t blocks = static_cast<uint64_t>(n_elements) / info->block_size;
  if (__builtin_mul_overflow(blocks, static_cast<uint64_t>(info->type_size), &t.n_bytes)) {
    throw GgufError("invalid " + label + ": byte size overflows");
  }
  t.offset = c.read<uint64_t>(label + " data offset");
  return t;
}

}  // namespace

void GgufFile::parse() {
  size_ = map_->size();
  Cursor c(map_->data(), size_);
  uint32_t magic = c.read<uint32_t>("magic");
  if (magic != kMagic) throw GgufError("not a GGUF file: bad magic at byte offset 0 (expected \"GGUF\")");
  version_ = c.read<uint32_t>("version");
  if (version_ != 2 && version_ != 3) {
    throw GgufError("unsupported GGUF version " + std::to_string(version_) +
                    " at byte offset 4 (supported: 2 and 3; re-convert older files)");
  }
  uint64_t n_tensors = c.read<uint64_t>("tensor count");
  uint64_t n_kv = c.read<uint64_t>("metadata count");
  // Smallest possible record: kv = key length (8) + type (4) + 1 byte; tensor info = 8 + 4 + 8 + 4 + 8.
  if (n_kv > c.remaining() / 13) {
    throw GgufError("invalid metadata count " + std::to_string(n_kv) + " at byte offset 16: cannot fit in the file");
  }
  if (n_tensors > c.remaining() / 32) {
    throw GgufError("invalid tensor count " + std::to_string(n_tensors) + " at byte offset 8: cannot fit in the file");
  }

  std::unordered_set<std::string_view> keys;
  kv_.reserve(n_kv);
  for (uint64_t i = 0; i < n_kv; ++i) {
    const std::string what = "metadata #" + std::to_string(i);
    uint64_t at = c.pos();
    std::string_view key = c.read_string(what + " key");
    if (key.empty()) throw GgufError("invalid " + what + " at byte offset " + std::to_string(at) + ": empty key");
    if (!keys.insert(key).second) {
      throw GgufError("invalid " + what + " at byte offset " + std::to_string(at) + ": duplicate key '" +
                      std::string(key) + "'");
    }
    uint32_t type = c.read<uint32_t>(what + " '" + std::string(key) + "' type");
    if (!valid_value_type(type)) {
      throw GgufError("invalid metadata '" + std::string(key) + "' at byte offset " + std::to_string(at) +
                      ": unknown value type " + std::to_string(type));
    }
    GgufValue v;
    read_value(c, static_cast<GgufValueType>(type), v, "metadata '" + std::string(key) + "'", 0);
    kv_.emplace_back(std::string(key), std::move(v));
  }
  alignment_ = static_cast<uint32_t>(parse_alignment(find("general.alignment")));

  std::unordered_set<std::string> names;
  tensors_.reserve(n_tensors);
  for (uint64_t i = 0; i < n_tensors; ++i) {
    GgufTensorInfo t = read_tensor_info(c, i);
    if (!names.insert(t.name).second) throw GgufError("invalid " + tensor_label(i, t.name) + ": duplicate name");
    tensors_.push_back(std::move(t));
  }

  uint64_t pos = c.pos();
  data_offset_ = (pos + alignment_ - 1) / alignment_ * alignment_;
  if (n_tensors == 0) return;
  if (data_offset_ > size_) {
    throw GgufError("truncated file: tensor data section would start at byte offset " + std::to_string(data_offset_) +
                    " beyond the end of the file (" + std::to_string(size_) + " bytes)");
  }
  validate_tensor_ranges();
}

void GgufFile::validate_tensor_ranges() const {
  const uint64_t data_size = size_ - data_offset_;
  std::vector<size_t> order(tensors_.size());
  for (size_t i = 0; i < order.size(); ++i) {
    const auto& t = tensors_[i];
    const std::string label = tensor_label(i, t.name);
    if (t.offset % alignment_ != 0) {
      throw GgufError("invalid " + label + ": data offset " + std::to_string(t.offset) + " is not aligned to " +
                      std::to_string(alignment_) + " bytes");
    }
    if (t.offset > data_size || t.n_bytes > data_size - t.offset) {
      throw GgufError("truncated or invalid " + label + ": data at byte offset " +
                      std::to_string(data_offset_ + t.offset) + " + " + std::to_string(t.n_bytes) +
                      " bytes runs past the end of the file (" + std::to_string(size_) + " bytes)");
    }
    order[i] = i;
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return tensors_[a].offset < tensors_[b].offset; });
  for (size_t k = 1; k < order.size(); ++k) {
    const auto& prev = tensors_[order[k - 1]];
    const auto& cur = tensors_[order[k]];
    if (prev.offset + prev.n_bytes > cur.offset) {
      throw GgufError("invalid tensor '" + cur.name + "': its data at offset " + std::to_string(cur.offset) +
                      " overlaps tensor '" + prev.name + "' (" + std::to_string(prev.offset) + ".." +
                      std::to_string(prev.offset + prev.n_bytes) + ")");
    }
  }
}

const GgufValue* GgufFile::find(std::string_view key) const {
  for (const auto& [k, v] : kv_) {
    if (k == key) return &v;
  }
  return nullptr;
}

const GgufTensorInfo* GgufFile::find_tensor(std::string_view name) const {
  for (const auto& t : tensors_) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const uint8_t* GgufFile::tensor_data(const GgufTensorInfo& t) const { return map_->data() + data_offset_ + t.offset; }

namespace {
[[noreturn]] void wrong_type(std::string_view key, const GgufValue& v, std::string_view expected) {
  throw GgufError("metadata '" + std::string(key) + "' has type " + std::string(gguf_value_type_name(v.type)) +
                  (v.type == GgufValueType::ARRAY ? "[" + std::string(gguf_value_type_name(v.elem_type)) + "]" : "") +
                  ", expected " + std::string(expected));
}
}  // namespace

std::optional<std::string> GgufFile::get_string(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != GgufValueType::STRING) wrong_type(key, *v, "string");
  return std::string(v->str);
}

std::optional<int64_t> GgufFile::get_int(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return std::nullopt;
  if (!v->is_integer()) wrong_type(key, *v, "integer");
  if (v->type == GgufValueType::UINT64 && v->num.u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    throw GgufError("metadata '" + std::string(key) + "' value " + std::to_string(v->num.u) + " is too large");
  }
  return v->num.i;
}

std::optional<double> GgufFile::get_float(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return std::nullopt;
  if (v->is_float()) return v->num.f;
  if (v->is_integer()) return v->type == GgufValueType::UINT64 ? static_cast<double>(v->num.u)
                                                               : static_cast<double>(v->num.i);
  wrong_type(key, *v, "number");
}

std::optional<bool> GgufFile::get_bool(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != GgufValueType::BOOL) wrong_type(key, *v, "bool");
  return v->num.i != 0;
}

std::optional<std::vector<std::string_view>> GgufFile::get_string_array(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != GgufValueType::ARRAY || v->elem_type != GgufValueType::STRING) wrong_type(key, *v, "string array");
  std::vector<std::string_view> out;
  out.reserve(v->items.size());
  for (const auto& it : v->items) out.push_back(it.str);
  return out;
}

std::optional<std::vector<float>> GgufFile::get_float_array(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != GgufValueType::ARRAY || !v->items.empty() || gguf_scalar_size(v->elem_type) == 0) {
    wrong_type(key, *v, "numeric array");
  }
  std::vector<float> out(v->count);
  for (uint64_t i = 0; i < v->count; ++i) out[i] = static_cast<float>(v->array_float(i));
  return out;
}

std::optional<std::vector<int64_t>> GgufFile::get_int_array(std::string_view key) const {
  const GgufValue* v = find(key);
  if (!v) return std::nullopt;
  if (v->type != GgufValueType::ARRAY || !v->items.empty() || gguf_scalar_size(v->elem_type) == 0 ||
      v->elem_type == GgufValueType::FLOAT32 || v->elem_type == GgufValueType::FLOAT64) {
    wrong_type(key, *v, "integer array");
  }
  std::vector<int64_t> out(v->count);
  for (uint64_t i = 0; i < v->count; ++i) out[i] = v->array_int(i);
  return out;
}

std::string GgufFile::architecture() const {
  auto arch = get_string("general.architecture");
  if (!arch || arch->empty()) throw GgufError(path_ + ": missing metadata 'general.architecture'");
  return *arch;
}

}  // namespace cellar
